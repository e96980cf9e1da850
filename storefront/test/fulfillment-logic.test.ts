import { describe, expect, it } from 'vitest';
import { nextParcelAction, parcelSteps, returnableUnits } from '../app/lib/fulfillment.ts';
import { orderFilterOf, orderListSearch, parseOrderList } from '../app/lib/order-filter.ts';

describe('parcelSteps', () => {
  it('marks the steps before the current one done, with the time each was reached', () => {
    const steps = parcelSteps('SHIPPED', [
      { status: 'PACKED', at: '2026-11-29T10:00:00.000Z' },
      { status: 'SHIPPED', at: '2026-11-29T11:00:00.000Z' },
    ]);
    expect(steps.map((s) => [s.status, s.state, s.at])).toEqual([
      ['UNFULFILLED', 'done', null],
      ['PACKED', 'done', '2026-11-29T10:00:00.000Z'],
      ['SHIPPED', 'current', '2026-11-29T11:00:00.000Z'],
      ['DELIVERED', 'todo', null],
    ]);
  });

  it('goes on with the return steps once a return is under way, and the latest time of a step wins', () => {
    const steps = parcelSteps('RETURN_REQUESTED', [
      { status: 'DELIVERED', at: '2026-11-29T10:00:00.000Z' },
      { status: 'RETURN_REQUESTED', at: '2026-11-29T11:00:00.000Z' },
      { status: 'DELIVERED', at: '2026-11-29T12:00:00.000Z' },
      { status: 'RETURN_REQUESTED', at: '2026-11-29T13:00:00.000Z' },
    ]);
    expect(steps.map((s) => s.status)).toEqual([
      'UNFULFILLED',
      'PACKED',
      'SHIPPED',
      'DELIVERED',
      'RETURN_REQUESTED',
      'RETURNED',
    ]);
    expect(steps[3]).toMatchObject({ state: 'done', at: '2026-11-29T12:00:00.000Z' });
    expect(steps[4]).toMatchObject({ state: 'current', at: '2026-11-29T13:00:00.000Z' });
    expect(steps[5]!.state).toBe('todo');
  });
});

describe('returnableUnits', () => {
  const items = [
    { product: { id: 'a' }, quantity: 3 },
    { product: { id: 'b' }, quantity: 1 },
  ];
  it('is what was bought less what returns that stand took; rejected returns give units back', () => {
    const left = returnableUnits(items, [
      { status: 'REFUNDED', lines: [{ product: { id: 'a' }, quantity: 1 }] },
      { status: 'REJECTED', lines: [{ product: { id: 'a' }, quantity: 2 }] },
      { status: 'APPROVED', lines: [{ product: { id: 'b' }, quantity: 1 }] },
    ]);
    expect(Object.fromEntries(left)).toEqual({ a: 2, b: 0 });
  });
});

describe('nextParcelAction', () => {
  it('follows the API: only a COMPLETED order moves, one step at a time', () => {
    expect(nextParcelAction('PAID', 'UNFULFILLED')).toBeNull();
    expect(nextParcelAction('COMPLETED', 'UNFULFILLED')).toBe('PACK');
    expect(nextParcelAction('COMPLETED', 'PACKED')).toBe('SHIP');
    expect(nextParcelAction('COMPLETED', 'SHIPPED')).toBe('DELIVER');
    expect(nextParcelAction('COMPLETED', 'DELIVERED')).toBeNull();
    expect(nextParcelAction('COMPLETED', 'RETURN_REQUESTED')).toBeNull();
  });
});

describe('order list URL', () => {
  it('keeps what can be a filter, drops the rest, and writes a canonical query string', () => {
    const state = parseOrderList(
      new URLSearchParams(
        'email=%20a%40b.example%20&status=SHIPPED&fulfillment=PACKED&from=2026-11-01&to=2026-13-45&after=abc:1&x=1',
      ),
    );
    expect(state).toEqual({
      email: 'a@b.example',
      fulfillment: 'PACKED',
      from: '2026-11-01',
      after: 'abc:1',
    });
    expect(orderListSearch(state)).toBe(
      'fulfillment=PACKED&from=2026-11-01&email=a%40b.example&after=abc%3A1',
    );
    expect(parseOrderList(new URLSearchParams(orderListSearch(state)))).toEqual(state);
  });

  it('turns days into a half-open range of whole local days', () => {
    const filter = orderFilterOf({ from: '2026-11-01', to: '2026-11-30', status: 'COMPLETED' });
    expect(filter.status).toBe('COMPLETED');
    expect(filter.createdFrom).toBe(new Date(2026, 10, 1).toISOString());
    expect(filter.createdTo).toBe(new Date(2026, 11, 1).toISOString());
    expect(orderFilterOf({})).toEqual({});
  });
});
