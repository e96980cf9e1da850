/** Admins' discount codes through the gateway: create, list, disable, and every refusal. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import {
  graphql,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
const customer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
const tag = randomUUID().slice(0, 6).toUpperCase();

const FIELDS = `id code kind value minSubtotal { amount currency } startsAt endsAt usageLimit
  perCustomerLimit used disabled createdAt appliesTo { allProducts categoryIds productIds }`;
const CREATE = `mutation ($input: DiscountCodeInput!) { createDiscountCode(input: $input) { ${FIELDS} } }`;
const DISABLE = `mutation ($id: ID!) { disableDiscountCode(id: $id) { id disabled } }`;
const LIST = `query ($first: Int, $after: String) { discountCodes(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code } } } }`;

async function as(
  identity: Identity | null,
  query: string,
  variables: Record<string, unknown> = {},
) {
  return graphql<any>(
    supergraph.gatewayUrl,
    query,
    variables,
    identity ? await supergraph.authAs(identity) : {},
  );
}
const countCodes = (code: string) =>
  withServiceDb(env, 'order', (db) =>
    db.query<{ n: number }>('SELECT count(*)::int AS n FROM discount_codes WHERE code = $1', [
      code,
    ]),
  ).then((r) => r.rows[0]!.n);

beforeAll(async () => {
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

describe('discount codes (admin)', () => {
  it('creates each kind with its value in the contract form', async () => {
    const percent = await as(admin, CREATE, {
      input: {
        code: `spring-${tag}`,
        kind: 'PERCENTAGE',
        value: '12.5',
        minSubtotal: '50',
        usageLimit: 100,
        perCustomerLimit: 1,
      },
    });
    expect(percent.errors).toBeUndefined();
    expect(percent.data.createDiscountCode).toMatchObject({
      code: `SPRING-${tag}`,
      kind: 'PERCENTAGE',
      value: '12.5',
      minSubtotal: { amount: '50.00' },
      usageLimit: 100,
      perCustomerLimit: 1,
      used: 0,
      disabled: false,
      endsAt: null,
      appliesTo: { allProducts: true, categoryIds: [], productIds: [] },
    });
    const productId = randomUUID();
    const fixed = await as(admin, CREATE, {
      input: {
        code: `TENOFF-${tag}`,
        kind: 'FIXED_AMOUNT',
        value: '10',
        productIds: [productId],
        endsAt: '2099-01-01T00:00:00Z',
      },
    });
    expect(fixed.data.createDiscountCode).toMatchObject({
      value: '10.00',
      appliesTo: { allProducts: false, productIds: [productId] },
      endsAt: '2099-01-01T00:00:00.000Z',
    });
    const free = await as(admin, CREATE, {
      input: { code: `SHIPFREE-${tag}`, kind: 'FREE_SHIPPING' },
    });
    expect(free.data.createDiscountCode).toMatchObject({ kind: 'FREE_SHIPPING', value: '0' });
  });

  it('refuses a code that exists, in any case', async () => {
    await as(admin, CREATE, { input: { code: `DUP-${tag}`, kind: 'FREE_SHIPPING' } });
    const again = await as(admin, CREATE, { input: { code: `dup-${tag}`, kind: 'FREE_SHIPPING' } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'code' });
    expect(await countCodes(`DUP-${tag}`)).toBe(1);
  });

  it('names the field of each bad input and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ code: 'x', kind: 'FREE_SHIPPING' }, 'code'],
      [{ code: `BAD1-${tag}`, kind: 'PERCENTAGE', value: '0' }, 'value'],
      [{ code: `BAD2-${tag}`, kind: 'PERCENTAGE', value: '100.01' }, 'value'],
      [{ code: `BAD3-${tag}`, kind: 'PERCENTAGE' }, 'value'],
      [{ code: `BAD4-${tag}`, kind: 'FIXED_AMOUNT', value: '-5' }, 'value'],
      [{ code: `BAD5-${tag}`, kind: 'FIXED_AMOUNT', value: '0.00' }, 'value'],
      [{ code: `BAD6-${tag}`, kind: 'FREE_SHIPPING', value: '5' }, 'value'],
      [{ code: `BAD7-${tag}`, kind: 'FREE_SHIPPING', minSubtotal: 'ten' }, 'minSubtotal'],
      [
        {
          code: `BAD8-${tag}`,
          kind: 'FREE_SHIPPING',
          startsAt: '2030-01-02T00:00:00Z',
          endsAt: '2030-01-01T00:00:00Z',
        },
        'endsAt',
      ],
      [{ code: `BAD9-${tag}`, kind: 'FREE_SHIPPING', endsAt: 'tomorrow' }, 'endsAt'],
      [{ code: `BADA-${tag}`, kind: 'FREE_SHIPPING', usageLimit: 0 }, 'usageLimit'],
      [{ code: `BADB-${tag}`, kind: 'FREE_SHIPPING', perCustomerLimit: -1 }, 'perCustomerLimit'],
      [{ code: `BADC-${tag}`, kind: 'FREE_SHIPPING', productIds: ['nope'] }, 'productIds'],
      [
        {
          code: `BADD-${tag}`,
          kind: 'FREE_SHIPPING',
          productIds: [randomUUID()],
          categoryIds: [randomUUID()],
        },
        'productIds',
      ],
    ];
    for (const [input, field] of cases) {
      const res = await as(admin, CREATE, { input });
      expect(res.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
      expect(res.errors?.[0]?.message).not.toMatch(/Error:|\n\s+at |prisma|SQL|select|insert/i);
    }
    const { rows } = await withServiceDb(env, 'order', (db) =>
      db.query(`SELECT code FROM discount_codes WHERE code LIKE 'BAD%-' || $1`, [tag]),
    );
    expect(rows).toEqual([]);
  });

  it('lists codes newest first in cursor pages and disables one (twice is harmless)', async () => {
    const first = await as(admin, LIST, { first: 2 });
    expect(first.data.discountCodes.edges).toHaveLength(2);
    expect(first.data.discountCodes.pageInfo.hasNextPage).toBe(true);
    const next = await as(admin, LIST, {
      first: 2,
      after: first.data.discountCodes.pageInfo.endCursor,
    });
    const seen = [...first.data.discountCodes.edges, ...next.data.discountCodes.edges].map(
      (e: any) => e.node.id,
    );
    expect(new Set(seen).size).toBe(seen.length);
    const id = first.data.discountCodes.edges[0].node.id;
    expect((await as(admin, DISABLE, { id })).data.disableDiscountCode).toEqual({
      id,
      disabled: true,
    });
    expect((await as(admin, DISABLE, { id })).data.disableDiscountCode.disabled).toBe(true);
    expect((await as(admin, DISABLE, { id: randomUUID() })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });

  it('is for admins only', async () => {
    const input = { code: `NOPE-${tag}`, kind: 'FREE_SHIPPING' };
    expect((await as(customer, CREATE, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await as(null, CREATE, { input })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await as(customer, LIST)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await as(customer, DISABLE, { id: randomUUID() })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect(await countCodes(`NOPE-${tag}`)).toBe(0);
  });
});
