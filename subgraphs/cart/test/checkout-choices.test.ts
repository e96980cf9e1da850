import { describe, expect, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { DomainError } from '@shop/subgraph-kit';
import {
  MAX_ATTEMPTS,
  applyDiscountCode,
  chooseShippingAddress,
  chooseShippingMethod,
  removeDiscountCode,
  type CartState,
  type CheckoutDeps,
} from '../src/domain/checkout-choices.ts';
import {
  NO_CHOICES,
  discountCodeInput,
  quoteRequest,
  sameChoices,
  type CheckoutChoices,
  type CheckoutQuote,
  type QuoteRequest,
  type ShippingAddress,
} from '../src/domain/checkout.ts';

const me: Identity = { userId: '00000000-0000-4000-8000-000000000001', role: 'CUSTOMER' };
const usd = (amount: string) => ({ amount, currency: 'USD' });
const zeroTotals = {
  subtotal: usd('0.00'),
  discount: usd('0.00'),
  shipping: usd('0.00'),
  tax: usd('0.00'),
  total: usd('0.00'),
};
const home: ShippingAddress = {
  id: 'a1',
  recipient: 'Ann',
  phone: '+1 555 0100',
  line1: '1 Main St',
  line2: null,
  city: 'Springfield',
  region: 'IL',
  postalCode: '62701',
  country: 'US',
  isDefault: true,
};
const abroad: ShippingAddress = { ...home, id: 'a2', country: 'DE', postalCode: '10115' };
const line = { productId: 'p1', quantity: 2, addedAt: new Date(0) };

function quoteOf(overrides: Partial<CheckoutQuote> = {}): CheckoutQuote {
  return {
    totals: zeroTotals,
    lines: [],
    shippingOptions: [],
    shippingMethod: null,
    shippingProblem: null,
    discountCode: null,
    discountProblem: null,
    ...overrides,
  };
}

/** An in-memory cart and fakes of the peers, recording what they were asked. */
function fakes(
  start: CheckoutChoices = NO_CHOICES,
  pricing: (request: QuoteRequest) => CheckoutQuote = () => quoteOf(),
) {
  const state = { lines: [line], choices: start };
  const quotes: QuoteRequest[] = [];
  const writes: CheckoutChoices[] = [];
  /** Changes made "by someone else" right after the next reads, one per read. */
  const interference: CheckoutChoices[] = [];
  const deps: CheckoutDeps = {
    store: {
      async read(): Promise<CartState> {
        const seen = { lines: state.lines, choices: state.choices };
        const next = interference.shift();
        if (next) state.choices = next;
        return seen;
      },
      async replaceIfUnchanged(_userId, seen, next) {
        if (!sameChoices(seen, state.choices)) return null;
        writes.push(next);
        state.choices = next;
        return { lines: state.lines, choices: next };
      },
    },
    pricing: {
      async quote(request, as) {
        expect(as).toBe(me);
        quotes.push(request);
        return pricing(request);
      },
    },
    addresses: {
      async address(as, id) {
        expect(as).toBe(me);
        return [home, abroad].find((a) => a.id === id) ?? null;
      },
    },
  };
  return { deps, state, quotes, writes, interference };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('discountCodeInput', () => {
  it('trims and accepts 1 to 40 characters', () => {
    expect(discountCodeInput('  welcome10 ')).toBe('welcome10');
    expect(discountCodeInput('x'.repeat(40))).toHaveLength(40);
  });

  it('refuses an empty or longer code on `code`', () => {
    for (const code of ['', '   ', 'x'.repeat(41)]) {
      const error = (() => {
        try {
          discountCodeInput(code);
        } catch (e) {
          return e as DomainError;
        }
      })();
      expect(error?.code).toBe('BAD_USER_INPUT');
      expect(error?.details.field).toBe('code');
    }
  });
});

describe('quoteRequest', () => {
  it("sends the lines and the choices, the address's country only", () => {
    expect(
      quoteRequest([line], { shippingAddress: home, shippingMethodId: 'm1', discountCode: 'X' }),
    ).toEqual({
      lines: [{ productId: 'p1', quantity: 2 }],
      country: 'US',
      shippingMethodId: 'm1',
      discountCode: 'X',
    });
    expect(quoteRequest([], NO_CHOICES)).toEqual({
      lines: [],
      country: null,
      shippingMethodId: null,
      discountCode: null,
    });
  });
});

describe('chooseShippingAddress', () => {
  it("refuses an address that is not the user's with NOT_FOUND and writes nothing", async () => {
    const { deps, writes, quotes } = fakes();
    const error = await refusal(chooseShippingAddress(deps, me, 'someone-elses'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('No such address');
    expect(writes).toEqual([]);
    expect(quotes).toEqual([]);
  });

  it('stores a copy of the address; without a method it needs no quote', async () => {
    const { deps, quotes } = fakes();
    const result = await chooseShippingAddress(deps, me, 'a1');
    expect(result.choices).toEqual({ ...NO_CHOICES, shippingAddress: home });
    expect(quotes).toEqual([]);
  });

  it('keeps the chosen method when it ships to the new address', async () => {
    const start = { ...NO_CHOICES, shippingAddress: home, shippingMethodId: 'm1' };
    const { deps, quotes } = fakes(start, () =>
      quoteOf({ shippingMethod: { id: 'm1', name: 'Standard', carrier: 'UPS' } }),
    );
    const result = await chooseShippingAddress(deps, me, 'a2');
    expect(result.choices).toEqual({ ...start, shippingAddress: abroad });
    expect(quotes).toEqual([
      {
        lines: [{ productId: 'p1', quantity: 2 }],
        country: 'DE',
        shippingMethodId: 'm1',
        discountCode: null,
      },
    ]);
  });

  it('drops the chosen method when it does not ship to the new address', async () => {
    const start = { ...NO_CHOICES, shippingAddress: home, shippingMethodId: 'm1' };
    const { deps } = fakes(start, () =>
      quoteOf({ shippingProblem: 'The method does not ship to DE.' }),
    );
    const result = await chooseShippingAddress(deps, me, 'a2');
    expect(result.choices).toEqual({ ...start, shippingAddress: abroad, shippingMethodId: null });
  });
});

describe('chooseShippingMethod', () => {
  it('needs an address first (BAD_USER_INPUT on methodId), asking no quote', async () => {
    const { deps, writes, quotes } = fakes();
    const error = await refusal(chooseShippingMethod(deps, me, 'm1'));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.field).toBe('methodId');
    expect(error.message).toMatch(/shipping address first/);
    expect([writes, quotes]).toEqual([[], []]);
  });

  it("refuses with the quote's shipping problem and writes nothing", async () => {
    const start = { ...NO_CHOICES, shippingAddress: home };
    const { deps, writes } = fakes(start, () =>
      quoteOf({ shippingProblem: 'The cart is too heavy for Letter post.' }),
    );
    const error = await refusal(chooseShippingMethod(deps, me, 'm9'));
    expect([error.code, error.message, error.details.field]).toEqual([
      'BAD_USER_INPUT',
      'The cart is too heavy for Letter post.',
      'methodId',
    ]);
    expect(writes).toEqual([]);
  });

  it('stores a method the quote ships the cart with', async () => {
    const start = { ...NO_CHOICES, shippingAddress: home, discountCode: 'TACKLE5' };
    const { deps, quotes } = fakes(start, (request) =>
      quoteOf({
        shippingMethod: { id: request.shippingMethodId!, name: 'Express', carrier: 'DHL' },
      }),
    );
    const result = await chooseShippingMethod(deps, me, 'm2');
    expect(result.choices).toEqual({ ...start, shippingMethodId: 'm2' });
    expect(quotes[0]).toMatchObject({
      country: 'US',
      shippingMethodId: 'm2',
      discountCode: 'TACKLE5',
    });
  });
});

describe('applyDiscountCode and removeDiscountCode', () => {
  it("raises the quote's problem with its own code and message on `code`", async () => {
    for (const code of ['BAD_USER_INPUT', 'CONFLICT']) {
      const { deps, writes } = fakes(NO_CHOICES, () =>
        quoteOf({ discountProblem: { code, reason: 'R', message: `refused: ${code}` } }),
      );
      const error = await refusal(applyDiscountCode(deps, me, 'code'));
      expect([error.code, error.message]).toEqual([code, `refused: ${code}`]);
      expect(error.details).toMatchObject({ field: 'code', reason: 'R' });
      expect(writes).toEqual([]);
    }
  });

  it('stores the code as the quote normalized it', async () => {
    const { deps, quotes } = fakes(NO_CHOICES, (request) =>
      quoteOf({ discountCode: request.discountCode!.toUpperCase() }),
    );
    const result = await applyDiscountCode(deps, me, '  welcome10 ');
    expect(quotes[0]!.discountCode).toBe('welcome10');
    expect(result.choices.discountCode).toBe('WELCOME10');
  });

  it('refuses a malformed code before asking anyone', async () => {
    const { deps, quotes } = fakes();
    expect((await refusal(applyDiscountCode(deps, me, ' '))).details.field).toBe('code');
    expect(quotes).toEqual([]);
  });

  it('removes the code and keeps the rest', async () => {
    const start = { shippingAddress: home, shippingMethodId: 'm1', discountCode: 'X' };
    const { deps } = fakes(start);
    expect((await removeDiscountCode(deps, me)).choices).toEqual({ ...start, discountCode: null });
    expect((await removeDiscountCode(deps, me)).choices.discountCode).toBeNull();
  });
});

describe('concurrent changes', () => {
  it('decides again on what is there when the choices changed meanwhile', async () => {
    const start = { ...NO_CHOICES, shippingAddress: home };
    const { deps, interference, quotes } = fakes(start, (request) =>
      quoteOf({ shippingMethod: { id: request.shippingMethodId!, name: 'S', carrier: 'C' } }),
    );
    // Someone chooses another address between our read and our write.
    interference.push({ ...start, shippingAddress: abroad });
    const result = await chooseShippingMethod(deps, me, 'm1');
    expect(result.choices).toEqual({ ...start, shippingAddress: abroad, shippingMethodId: 'm1' });
    expect(quotes.map((q) => q.country)).toEqual(['US', 'DE']); // re-quoted for the new address
  });

  it(`gives up with CONFLICT after ${MAX_ATTEMPTS} attempts`, async () => {
    const { deps, interference, writes } = fakes();
    for (let i = 0; i < MAX_ATTEMPTS; i++)
      interference.push({ ...NO_CHOICES, discountCode: `OTHER${i}` });
    const error = await refusal(removeDiscountCode(deps, me));
    expect(error.code).toBe('CONFLICT');
    expect(writes).toEqual([]);
  });
});
