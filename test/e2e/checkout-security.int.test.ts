/**
 * The checkout's edges from the outside: the service-to-service fields stay out of the public
 * API, and guessing discount codes is slowed per customer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { graphql, startSupergraph, testEnv, type RunningSupergraph } from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
async function as(who: Identity, query: string, variables: Record<string, unknown> = {}) {
  return graphql<any>(supergraph.gatewayUrl, query, variables, await supergraph.authAs(who));
}

beforeAll(async () => {
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

describe('checkout edges', () => {
  it('serves none of the internal checkout fields through the gateway', async () => {
    const me = customer();
    for (const query of [
      `{ checkoutQuote(input: { lines: [] }) { totals { total { amount } } } }`,
      `{ cart { linesVersion } }`,
      `{ cart { shippingMethodId } }`,
      `{ userAddress(userId: "${me.userId}", id: "${randomUUID()}") { line1 } }`,
    ]) {
      const res = await as(me, query);
      expect(res.data ?? null, query).toBeNull();
      // Validation failures reach clients as the contract's BAD_USER_INPUT.
      expect(res.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message, query).toMatch(/Cannot query field|Unknown type/);
    }
  });

  it('slows guessing discount codes: 10 tries per customer per window, RATE_LIMITED after', async () => {
    const me = customer();
    const APPLY = `mutation ($c: String!) { applyDiscountCode(code: $c) { discountCode } }`;
    for (let i = 0; i < 10; i++) {
      const res = await as(me, APPLY, { c: `GUESS${i}-${randomUUID().slice(0, 6)}` });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const limited = await as(me, APPLY, { c: 'WELCOME10' });
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    // Another customer is not held up by this one's guesses.
    const other = await as(customer(), APPLY, { c: `GUESS-${randomUUID().slice(0, 6)}` });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
