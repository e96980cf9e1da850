import { SHIPPING_COUNTRY_CODES } from '@shop/addresses';
import { describe, expect, it } from 'vitest';
import {
  addressInputFrom,
  addressProblems,
  addressSummary,
  fieldMessage,
} from '../app/lib/address.ts';
import {
  addressToChoose,
  checkoutMessage,
  controlOf,
  formatDays,
  MISSING_CHOICE,
  taxIncluded,
} from '../app/lib/checkout.ts';
import { COUNTRY_CHOICES, countryName, postalCodeExample } from '../app/lib/countries.ts';
import { isZeroMoney, toMinorUnits } from '../app/lib/money.ts';

const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('toMinorUnits', () => {
  it('reads decimal strings exactly, without floats', () => {
    expect(toMinorUnits('24.9')).toBe(2490n);
    expect(toMinorUnits('0.07')).toBe(7n);
    expect(toMinorUnits('-3.05')).toBe(-305n);
    expect(toMinorUnits('12')).toBe(1200n);
    expect(toMinorUnits('90071992547409.93')).toBe(9007199254740993n);
  });

  it('refuses what is not an amount of cents', () => {
    for (const bad of ['', '1.234', '1e3', 'abc', '1.', '.5'])
      expect(toMinorUnits(bad), bad).toBe(null);
  });

  it('knows a zero', () => {
    expect(isZeroMoney(usd('0.00'))).toBe(true);
    expect(isZeroMoney(usd('0'))).toBe(true);
    expect(isZeroMoney(usd('0.01'))).toBe(false);
  });
});

describe('taxIncluded', () => {
  it('is false when the tax is added on top (a net store)', () => {
    expect(
      taxIncluded({
        subtotal: usd('80.00'),
        discount: usd('8.00'),
        shipping: usd('29.99'),
        tax: usd('19.38'),
        total: usd('121.37'),
      }),
    ).toBe(false);
  });

  it('is true when the total already holds the tax (a gross store)', () => {
    expect(
      taxIncluded({
        subtotal: usd('119.00'),
        discount: usd('0.00'),
        shipping: usd('5.00'),
        tax: usd('19.80'),
        total: usd('124.00'),
      }),
    ).toBe(true);
  });

  it('is false without tax', () => {
    expect(
      taxIncluded({
        subtotal: usd('10.00'),
        discount: usd('0.00'),
        shipping: usd('0.00'),
        tax: usd('0.00'),
        total: usd('10.00'),
      }),
    ).toBe(false);
  });
});

describe('formatDays', () => {
  it('reads as a range, or one number', () => {
    expect(formatDays({ min: 3, max: 6 })).toBe('3–6 days');
    expect(formatDays({ min: 1, max: 1 })).toBe('1 day');
    expect(formatDays({ min: 2, max: 2 })).toBe('2 days');
  });
});

describe('checkout errors', () => {
  it('go to the control the API names', () => {
    expect(controlOf({ code: 'BAD_USER_INPUT', message: 'x', field: 'shippingAddress' })).toBe(
      'address',
    );
    expect(controlOf({ code: 'BAD_USER_INPUT', message: 'x', field: 'shippingMethod' })).toBe(
      'method',
    );
    expect(controlOf({ code: 'BAD_USER_INPUT', message: 'x', field: 'methodId' })).toBe('method');
    expect(controlOf({ code: 'CONFLICT', message: 'x', field: 'discountCode' })).toBe('code');
    expect(controlOf({ code: 'BAD_USER_INPUT', message: 'x', field: 'code' })).toBe('code');
    expect(controlOf({ code: 'OUT_OF_STOCK', message: 'x' })).toBe('other');
  });

  it("word placeOrder's missing choices for the shopper, and keep the rest", () => {
    const apiText =
      'Choose a shipping method for the cart before placing the order (setCartShippingMethod)';
    expect(
      checkoutMessage({ code: 'BAD_USER_INPUT', message: apiText, field: 'shippingMethod' }),
    ).toBe(MISSING_CHOICE.method);
    expect(
      checkoutMessage({ code: 'BAD_USER_INPUT', message: 'whatever', field: 'shippingAddress' }),
    ).toBe(MISSING_CHOICE.address);
    const tooHeavy = 'The cart is too heavy for Express';
    expect(
      checkoutMessage({ code: 'BAD_USER_INPUT', message: tooHeavy, field: 'shippingMethod' }),
    ).toBe(tooHeavy);
    const usedUp = 'The discount code FOO has been used up.';
    expect(checkoutMessage({ code: 'CONFLICT', message: usedUp, field: 'discountCode' })).toBe(
      usedUp,
    );
  });
});

const book = [
  {
    id: 'a',
    recipient: 'Ana',
    phone: '+1 415 555 0100',
    line1: '1 Market Street',
    line2: null,
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    country: 'US',
    isDefault: false,
  },
  {
    id: 'b',
    recipient: 'Ana',
    phone: '+49 30 1234567',
    line1: 'Unter den Linden 5',
    line2: null,
    city: 'Berlin',
    region: null,
    postalCode: '10117',
    country: 'DE',
    isDefault: true,
  },
];

describe('addressToChoose', () => {
  it('takes the default when the cart has no address', () => {
    expect(addressToChoose(null, book)).toBe('b');
    expect(addressToChoose(null, [book[0]!])).toBe('a');
    expect(addressToChoose(null, [])).toBe(null);
  });

  it("takes the book's new version of an address edited since the cart's copy", () => {
    expect(addressToChoose({ ...book[0]!, city: 'Oakland' }, book)).toBe('a');
  });

  it("keeps the cart's copy when it is current (whatever its default flag) or no longer in the book", () => {
    expect(addressToChoose({ ...book[0]!, isDefault: true }, book)).toBe(null);
    expect(addressToChoose({ ...book[0]!, id: 'gone' }, book)).toBe(null);
  });
});

describe('the address form', () => {
  it('offers exactly the countries the store ships to, by name', () => {
    expect(COUNTRY_CHOICES.map((c) => c.code).sort()).toEqual([...SHIPPING_COUNTRY_CODES].sort());
    const names = COUNTRY_CHOICES.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('XX')).toBe('XX');
    expect(postalCodeExample('GB')).toBe('SW1A 1AA');
  });

  it("words the validator's messages with the field's label", () => {
    expect(fieldMessage('postalCode', 'postalCode is required')).toBe('Postal code is required');
    expect(fieldMessage('line1', 'line1 must be at most 200 characters')).toBe(
      'Street and number must be at most 200 characters',
    );
    expect(fieldMessage('country', 'We do not ship to XX')).toBe('We do not ship to XX');
  });

  it('reads the form (blank optional parts are null) and marks every wrong field', () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({
      recipient: ' ',
      phone: '12',
      line1: 'Gran Via 1',
      line2: '  ',
      city: 'Madrid',
      region: '',
      postalCode: '99999',
      country: 'ES',
    }))
      form.set(name, value);
    const input = addressInputFrom(form);
    expect(input.line2).toBe(null);
    expect(input.region).toBe(null);
    expect(addressProblems(input)).toEqual({
      recipient: 'Full name is required',
      phone: 'Phone must have 6 to 20 digits',
      postalCode: 'Postal code is not a valid postal code for Spain (for example 28013)',
    });
    expect(
      addressProblems({
        ...input,
        recipient: 'Ana',
        phone: '+34 600 000 000',
        postalCode: '28013',
      }),
    ).toEqual({});
  });

  it('sums an address up on one line', () => {
    expect(addressSummary(book[1]!)).toBe('Ana, Unter den Linden 5, 10117 Berlin, Germany');
  });
});
