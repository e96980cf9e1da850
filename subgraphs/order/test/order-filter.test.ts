import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import type { OrderWithItems } from '../src/data/orders.ts';
import { EMAIL_MAX, parseInstant, parseOrderFilter } from '../src/domain/order-filter.ts';
import { visibleLines } from '../src/resolvers/order-management.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, ...error.details };
    throw error;
  }
  return 'no error';
};

describe('parseInstant', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T08:30Z', '2026-03-01T08:30:00.000Z'],
    ['2026-03-01T08:30:15Z', '2026-03-01T08:30:15.000Z'],
    ['2026-03-01T08:30:15.123Z', '2026-03-01T08:30:15.123Z'],
    ['2026-03-01T08:30:15.1239Z', '2026-03-01T08:30:15.123Z'],
    ['2026-03-01T08:30:15+02:00', '2026-03-01T06:30:15.000Z'],
    ['2026-03-01T08:30:15-0530', '2026-03-01T14:00:15.000Z'],
    ['2026-03-01t08:30:15z', '2026-03-01T08:30:15.000Z'],
    [' 2024-02-29 ', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (raw, iso) => {
    expect(parseInstant(raw, 'createdFrom').toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    '',
    '2026-3-1',
    '2026-02-30',
    '2026-02-31',
    '2025-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '0000-01-01',
    '2026-03-01T08:30:15', // no zone: the server's zone would decide
    '2026-03-01T24:00:00Z',
    '2026-03-01T08:60:00Z',
    '2026-03-01T08:30:61Z',
    '2026-03-01T08:30:00+19:00',
    '2026-03-01 08:30:00Z',
    '1772496000000',
  ])('refuses %j with BAD_USER_INPUT naming the field', (raw) => {
    expect(refusal(() => parseInstant(raw, 'createdTo'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'createdTo',
    });
  });
});

describe('parseOrderFilter', () => {
  it('is empty without a filter', () => {
    const empty = {
      status: null,
      fulfillmentStatus: null,
      createdFrom: null,
      createdTo: null,
      customerEmail: null,
    };
    expect(parseOrderFilter(undefined)).toEqual(empty);
    expect(parseOrderFilter(null)).toEqual(empty);
    expect(parseOrderFilter({ createdFrom: null, customerEmail: null })).toEqual(empty);
  });

  it('keeps the statuses, reads the times and normalizes the e-mail address', () => {
    expect(
      parseOrderFilter({
        status: 'COMPLETED',
        fulfillmentStatus: 'SHIPPED',
        createdFrom: '2026-03-01',
        createdTo: '2026-03-02T00:00:00+01:00',
        customerEmail: '  Sam.Angler@Example.COM ',
      }),
    ).toEqual({
      status: 'COMPLETED',
      fulfillmentStatus: 'SHIPPED',
      createdFrom: new Date('2026-03-01T00:00:00Z'),
      createdTo: new Date('2026-03-01T23:00:00Z'),
      customerEmail: 'sam.angler@example.com',
    });
  });

  it('names the bad time field', () => {
    expect(refusal(() => parseOrderFilter({ createdFrom: '01/03/2026' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'createdFrom',
    });
    expect(refusal(() => parseOrderFilter({ createdTo: '2026-02-30' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'createdTo',
    });
  });

  it('wants createdTo after createdFrom', () => {
    for (const createdTo of ['2026-03-01', '2026-02-28T23:59:59Z'])
      expect(refusal(() => parseOrderFilter({ createdFrom: '2026-03-01', createdTo }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'createdTo',
      });
    expect(
      parseOrderFilter({ createdFrom: '2026-03-01', createdTo: '2026-03-01T00:00:00.001Z' })
        .createdTo,
    ).toEqual(new Date('2026-03-01T00:00:00.001Z'));
  });

  it.each(['', '   ', 'sam', '@example.com', 'sam@', 'a'.repeat(EMAIL_MAX - 11) + '@example.com'])(
    'refuses the e-mail address %j on customerEmail',
    (customerEmail) => {
      expect(refusal(() => parseOrderFilter({ customerEmail }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'customerEmail',
      });
    },
  );

  it('accepts an e-mail address of the longest length', () => {
    const email = 'a'.repeat(EMAIL_MAX - 12) + '@example.com';
    expect(parseOrderFilter({ customerEmail: email }).customerEmail).toBe(email);
  });
});

describe('visibleLines', () => {
  const line = (productId: string) => ({ productId }) as OrderWithItems['items'][number];
  const order = {
    userId: 'customer',
    items: [line('mine-1'), line('theirs'), line('mine-2')],
  } as OrderWithItems;
  const seller = { userId: 'seller', role: 'SELLER' as const };
  const mine = new Set(['mine-1', 'mine-2']);
  const ids = (items: { productId: string }[]) => items.map((item) => item.productId);

  it("shows a seller who listed orders only their own lines of someone else's order", () => {
    expect(ids(visibleLines(order, { identity: seller, sellerProducts: mine }))).toEqual([
      'mine-1',
      'mine-2',
    ]);
    expect(visibleLines(order, { identity: seller, sellerProducts: new Set() })).toEqual([]);
  });

  it('shows every line to admins, to the owner, and outside the order list', () => {
    const all = ['mine-1', 'theirs', 'mine-2'];
    const admin = { userId: 'admin', role: 'ADMIN' as const };
    expect(ids(visibleLines(order, { identity: admin, sellerProducts: mine }))).toEqual(all);
    const owner = { userId: 'customer', role: 'SELLER' as const };
    expect(ids(visibleLines(order, { identity: owner, sellerProducts: mine }))).toEqual(all);
    expect(ids(visibleLines(order, { identity: seller }))).toEqual(all);
  });
});
