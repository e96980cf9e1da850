import { describe, expect, it } from 'vitest';
import { statesSince } from '../src/domain/order-status.ts';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, s));
const entry = (event: string, s: number) => ({ event, at: at(s) });
const order = (
  status: string,
  cancelReason: string | null,
  workflow: { event: string; at: Date }[],
) => ({
  id: 'o1',
  status,
  cancelReason,
  updatedAt: workflow.at(-1)!.at,
  workflow,
});

describe('statesSince', () => {
  const placed = order('PENDING', null, [entry('PLACED', 0)]);

  it('rebuilds every status the order passed through between two reads, oldest first', () => {
    const completed = order('COMPLETED', null, [
      entry('PLACED', 0),
      entry('STOCK_RESERVED', 1),
      entry('PAYMENT_AUTHORIZED', 2),
      entry('COMPLETED', 3),
    ]);
    const states = statesSince(placed, completed);
    expect(states.map((s) => [s.status, s.updatedAt.getUTCSeconds(), s.workflow.length])).toEqual([
      ['STOCK_RESERVED', 1, 2],
      ['PAID', 2, 3],
      ['COMPLETED', 3, 4],
    ]);
    expect(states.at(-1)).toBe(completed);
  });

  it('keeps the cancel reason on the final state only', () => {
    const cancelled = order('CANCELLED', 'payment declined', [
      entry('PLACED', 0),
      entry('STOCK_RESERVED', 1),
      entry('CANCELLED', 2),
    ]);
    expect(statesSince(placed, cancelled).map((s) => [s.status, s.cancelReason])).toEqual([
      ['STOCK_RESERVED', null],
      ['CANCELLED', 'payment declined'],
    ]);
  });

  it('sends a change without a status change (a refund entry) as the current state alone', () => {
    const cancelled = order('CANCELLED', 'by customer', [
      entry('PLACED', 0),
      entry('CANCELLED', 1),
    ]);
    const refunded = order('CANCELLED', 'by customer', [
      entry('PLACED', 0),
      entry('CANCELLED', 1),
      entry('PAYMENT_REFUNDED', 2),
    ]);
    expect(statesSince(cancelled, refunded)).toEqual([refunded]);
  });
});
