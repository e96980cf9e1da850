import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  assertReturnable,
  decideReturn,
  parseReturnLines,
  parseReturnReason,
  RETURN_STATUSES,
  RETURN_TRANSITIONS,
  type ReturnStep,
} from '../src/domain/return-status.ts';

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const DAY = 86_400_000;

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    return { code: e.code, ...e.details };
  }
  throw new Error('not refused');
}

describe('decideReturn', () => {
  it('moves each step from its one status, repeats are harmless, anything else is CONFLICT', () => {
    for (const step of Object.keys(RETURN_TRANSITIONS) as ReturnStep[]) {
      const [from, to] = RETURN_TRANSITIONS[step];
      for (const status of RETURN_STATUSES) {
        if (status === from) expect(decideReturn(status, step)).toEqual({ kind: 'move', to });
        else if (status === to) expect(decideReturn(status, step)).toEqual({ kind: 'unchanged' });
        else
          expect(refusal(() => decideReturn(status, step))).toMatchObject({
            code: 'CONFLICT',
            returnStatus: status,
            step,
          });
      }
    }
  });
});

describe('assertReturnable', () => {
  const delivered = new Date('2026-11-01T10:00:00Z');
  it('takes a delivered order within the window, to the millisecond', () => {
    expect(() =>
      assertReturnable('DELIVERED', delivered, new Date(delivered.getTime() + 30 * DAY), 30),
    ).not.toThrow();
    expect(
      refusal(() =>
        assertReturnable('DELIVERED', delivered, new Date(delivered.getTime() + 30 * DAY + 1), 30),
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'WINDOW_CLOSED' });
  });
  it('says why an order cannot be returned', () => {
    const now = new Date(delivered.getTime() + DAY);
    expect(refusal(() => assertReturnable('SHIPPED', null, now, 30))).toMatchObject({
      reason: 'NOT_DELIVERED',
    });
    expect(refusal(() => assertReturnable('RETURN_REQUESTED', delivered, now, 30))).toMatchObject({
      reason: 'RETURN_OPEN',
    });
    expect(refusal(() => assertReturnable('RETURNED', delivered, now, 30))).toMatchObject({
      reason: 'ALREADY_RETURNED',
    });
  });
});

describe('parseReturnLines', () => {
  const ordered = [
    { productId: P1, quantity: 3 },
    { productId: P2, quantity: 1 },
  ];
  it('takes products of the order up to the units not yet returned', () => {
    expect(
      parseReturnLines(
        [
          { productId: P1.toUpperCase(), quantity: 2 },
          { productId: P2, quantity: 1 },
        ],
        ordered,
        new Map([[P1, 1]]),
      ),
    ).toEqual([
      { productId: P1, quantity: 2 },
      { productId: P2, quantity: 1 },
    ]);
  });
  it('names the field of what it refuses', () => {
    const none = new Map<string, number>();
    expect(refusal(() => parseReturnLines([], ordered, none))).toMatchObject({ field: 'lines' });
    expect(
      refusal(() =>
        parseReturnLines(
          [{ productId: 'aaaaaaaa-0000-4000-8000-000000000000', quantity: 1 }],
          ordered,
          none,
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.0.productId' });
    expect(
      refusal(() =>
        parseReturnLines(
          [
            { productId: P2, quantity: 1 },
            { productId: P2, quantity: 1 },
          ],
          ordered,
          none,
        ),
      ),
    ).toMatchObject({ field: 'lines.1.productId' });
    for (const quantity of [0, -1, 1.5, 4])
      expect(
        refusal(() => parseReturnLines([{ productId: P1, quantity }], ordered, none)),
      ).toMatchObject({ field: 'lines.0.quantity' });
    expect(
      refusal(() =>
        parseReturnLines([{ productId: P1, quantity: 1 }], ordered, new Map([[P1, 3]])),
      ),
    ).toMatchObject({ field: 'lines.0.quantity' });
  });
});

describe('parseReturnReason', () => {
  it('trims, keeps newlines, refuses empty, long or control characters', () => {
    expect(parseReturnReason('  Too short\nfor pike ')).toBe('Too short\nfor pike');
    expect(refusal(() => parseReturnReason('   '))).toMatchObject({ field: 'reason' });
    expect(refusal(() => parseReturnReason('x'.repeat(501)))).toMatchObject({ field: 'reason' });
    expect(refusal(() => parseReturnReason('bad\u0007bell'))).toMatchObject({ field: 'reason' });
    expect(refusal(() => parseReturnReason('', 'rejection'))).toMatchObject({ field: 'rejection' });
  });
});
