import { describe, expect, it } from 'vitest';
import { validateAddress, type AddressInput, type AddressValidation } from '../src/index.ts';

const valid: AddressInput = {
  recipient: 'Izaak Walton',
  phone: '+44 20 7946 0958',
  line1: '1 Fleet Street',
  line2: null,
  city: 'London',
  region: null,
  postalCode: 'EC4Y 1AA',
  country: 'GB',
};

const problemsOf = (result: AddressValidation) => (result.ok ? [] : result.problems);
const fieldsOf = (result: AddressValidation) => problemsOf(result).map((p) => p.field);
const check = (change: Partial<Record<keyof AddressInput, unknown>>) =>
  validateAddress({ ...valid, ...change } as AddressInput);

describe('validateAddress: a valid address', () => {
  it('comes back normalized', () => {
    const result = validateAddress({
      recipient: '  Izaak  Walton ',
      phone: '  +44  20 7946 0958 ',
      line1: ' 1 Fleet Street ',
      line2: '   ',
      city: ' London',
      region: '',
      postalCode: 'ec4y1aa',
      country: ' gb ',
    });
    expect(result).toEqual({
      ok: true,
      address: {
        // Inner spaces of a text are the customer's; only the ends are trimmed.
        recipient: 'Izaak  Walton',
        phone: '+44 20 7946 0958',
        line1: '1 Fleet Street',
        line2: null,
        city: 'London',
        region: null,
        postalCode: 'EC4Y 1AA',
        country: 'GB',
      },
    });
  });

  it('takes optional parts absent, null or blank as null, and keeps them when given', () => {
    const { line2: _l, region: _r, ...required } = valid;
    expect(validateAddress(required)).toMatchObject({ ok: true, address: { line2: null } });
    expect(check({ line2: 'Flat 3', region: 'Greater London' })).toMatchObject({
      ok: true,
      address: { line2: 'Flat 3', region: 'Greater London' },
    });
  });

  it('accepts a lower-case country code and upper-cases it', () => {
    expect(check({ country: 'de', postalCode: '10115' })).toMatchObject({
      ok: true,
      address: { country: 'DE', postalCode: '10115' },
    });
  });

  it('composes text to NFC and counts characters, not UTF-16 units', () => {
    const decomposed = 'Jose\u0301'; // e + combining acute
    expect(check({ recipient: decomposed })).toMatchObject({
      address: { recipient: 'Jos\u00e9' },
    });
    // 100 astral characters are 200 UTF-16 units but 100 characters: allowed.
    expect(check({ recipient: '🎣'.repeat(100) }).ok).toBe(true);
    expect(fieldsOf(check({ recipient: '🎣'.repeat(101) }))).toEqual(['recipient']);
  });

  it('keeps non-Latin text', () => {
    expect(
      check({
        recipient: '山田 太郎',
        line1: '千代田区千代田1-1',
        city: '東京',
        country: 'JP',
        postalCode: '100-0001',
        phone: '03-1234-5678',
      }),
    ).toMatchObject({ ok: true, address: { recipient: '山田 太郎', city: '東京' } });
  });
});

describe('validateAddress: field limits', () => {
  const lengths: [keyof AddressInput, number][] = [
    ['recipient', 100],
    ['line1', 200],
    ['line2', 200],
    ['city', 100],
    ['region', 100],
  ];
  it.each(lengths)('%s: at most %i characters', (field, max) => {
    expect(check({ [field]: 'x'.repeat(max) }).ok).toBe(true);
    const over = check({ [field]: 'x'.repeat(max + 1) });
    expect(problemsOf(over)).toEqual([
      { field, message: `${field} must be at most ${max} characters` },
    ]);
    // Refused as too long without being normalized first.
    expect(fieldsOf(check({ [field]: 'x'.repeat(max * 10) }))).toEqual([field]);
  });

  it.each(['recipient', 'line1', 'city'] as const)('%s is required (blank is absent)', (field) => {
    for (const value of ['', '   ', '\t\n', null, undefined])
      expect(problemsOf(check({ [field]: value }))).toEqual([
        { field, message: `${field} is required` },
      ]);
  });

  it.each(['recipient', 'line1', 'line2', 'city', 'region'] as const)(
    '%s refuses control characters inside, after trimming the ends',
    (field) => {
      for (const bad of ['a\nb', 'a\tb', 'a\u0007b', 'a\u0085b', 'a\u202Eb', 'a\u2028b'])
        expect(problemsOf(check({ [field]: bad }))).toEqual([
          { field, message: `${field} must not contain control characters` },
        ]);
      expect(check({ [field]: '\tab\n' })).toMatchObject({ ok: true, address: { [field]: 'ab' } });
    },
  );

  it('refuses a value that is not text', () => {
    expect(fieldsOf(check({ city: 42 }))).toEqual(['city']);
    expect(fieldsOf(check({ phone: 5551234567 }))).toEqual(['phone']);
  });
});

describe('validateAddress: phone', () => {
  it.each([
    ['+1 (555) 123-4567', '+1 (555) 123-4567'],
    ['0030 210  1234567', '0030 210 1234567'],
    ['123456', '123456'],
    ['1'.repeat(20), '1'.repeat(20)],
    ['＋８１ ３ １２３４ ５６７８', '+81 3 1234 5678'],
  ])('accepts %j as %j', (raw, normalized) => {
    expect(check({ phone: raw })).toMatchObject({ ok: true, address: { phone: normalized } });
  });

  it.each([
    ['', 'phone is required'],
    ['   ', 'phone is required'],
    ['12345', 'phone must have 6 to 20 digits'],
    ['1'.repeat(21), 'phone must have 6 to 20 digits'],
    ['+-() ---', 'phone must have 6 to 20 digits'],
    ['555-CALL-NOW', 'phone may hold only digits, spaces, parentheses, hyphens and a leading +'],
    ['1+2345678', 'phone may hold only digits, spaces, parentheses, hyphens and a leading +'],
    ['++12345678', 'phone may hold only digits, spaces, parentheses, hyphens and a leading +'],
    ['12345678 ext. 9', 'phone may hold only digits, spaces, parentheses, hyphens and a leading +'],
    ['123\n45678', 'phone must not contain control characters'],
    [`1${' -'.repeat(25)}2345678`, 'phone must be at most 40 characters'],
  ])('refuses %j: %s', (raw, message) => {
    expect(problemsOf(check({ phone: raw }))).toEqual([{ field: 'phone', message }]);
  });
});

describe('validateAddress: country and postal code', () => {
  it('refuses a country the store does not ship to, naming the code and the list', () => {
    const [problem] = problemsOf(check({ country: 'br', postalCode: '01310-100' }));
    expect(problem?.field).toBe('country');
    expect(problem?.message).toMatch(/^We do not ship to BR; country must be one of US, CA, GB/);
    // The postal code is not judged against a country that is not there.
    expect(fieldsOf(check({ country: 'BR', postalCode: '01310-100' }))).toEqual(['country']);
  });

  it.each(['', '  ', 'GBR', 'G', '12', 'G1', 'ÜK', 'U K'])(
    'refuses %j as not a two-letter code, without repeating it',
    (country) => {
      const problems = problemsOf(check({ country }));
      expect(problems.map((p) => p.field)).toEqual(['country']);
      if (country.trim() !== '')
        expect(problems[0]!.message).toBe(
          'country must be a two-letter ISO 3166-1 alpha-2 code (for example US or DE)',
        );
    },
  );

  it('refuses a postal code that is not one of the country’s, naming the country', () => {
    expect(problemsOf(check({ country: 'NL', postalCode: '10115' }))).toEqual([
      {
        field: 'postalCode',
        message: 'postalCode is not a valid postal code for Netherlands (for example 1012 AB)',
      },
    ]);
    expect(fieldsOf(check({ postalCode: '' }))).toEqual(['postalCode']);
  });

  it('judges the same postal code by the country given', () => {
    expect(check({ country: 'DE', postalCode: '10115' }).ok).toBe(true);
    expect(check({ country: 'US', postalCode: '10115' }).ok).toBe(true);
    expect(fieldsOf(check({ country: 'AT', postalCode: '10115' }))).toEqual(['postalCode']);
  });
});

describe('validateAddress: several problems', () => {
  it('lists every problem, in the order of the input fields', () => {
    const result = validateAddress({
      recipient: '',
      phone: 'call me',
      line1: 'x'.repeat(201),
      line2: 'a\u0000b',
      city: ' ',
      region: 'x'.repeat(101),
      postalCode: '',
      country: 'XX',
    });
    expect(fieldsOf(result)).toEqual([
      'recipient',
      'phone',
      'line1',
      'line2',
      'city',
      'region',
      'postalCode',
      'country',
    ]);
  });

  it('never repeats a submitted value in a message', () => {
    const secret = 'hunter2-SECRET';
    const result = validateAddress({
      recipient: `${secret}\n`.repeat(2),
      phone: secret,
      line1: `${secret}\u0007`,
      line2: secret.repeat(50),
      city: `${secret}\u202E`,
      region: secret.repeat(50),
      postalCode: secret,
      country: secret,
    });
    expect(problemsOf(result)).toHaveLength(7);
    for (const problem of problemsOf(result)) expect(problem.message).not.toContain('hunter2');
  });

  it('handles a missing input object as every required field missing', () => {
    const result = validateAddress(undefined as unknown as AddressInput);
    expect(fieldsOf(result)).toEqual([
      'recipient',
      'phone',
      'line1',
      'city',
      'postalCode',
      'country',
    ]);
  });
});
