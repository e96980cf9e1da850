import { describe, expect, it } from 'vitest';
import {
  SHIPPING_COUNTRIES,
  SHIPPING_COUNTRY_CODES,
  isShippingCountry,
  normalizePostalCode,
  shippingCountry,
  type CountryCode,
} from '../src/index.ts';

const normalize = (code: CountryCode, raw: string) =>
  normalizePostalCode(shippingCountry(code)!, raw);

/** Per country: inputs and the canonical code each becomes, and inputs refused. */
const cases: Record<CountryCode, { valid: [string, string][]; invalid: string[] }> = {
  US: {
    valid: [
      ['94105', '94105'],
      ['94105-1234', '94105-1234'],
      ['941051234', '94105-1234'],
      [' 94105 1234 ', '94105-1234'],
    ],
    invalid: ['9410', '941056', '94105-12', 'ABCDE', '94105-12345'],
  },
  CA: {
    valid: [
      ['K1A 0B1', 'K1A 0B1'],
      ['k1a0b1', 'K1A 0B1'],
      ['  h2x  1y4', 'H2X 1Y4'],
      ['T2P-2M5', 'T2P 2M5'],
    ],
    // D, F, I, O, Q, U never appear; W and Z never come first.
    invalid: ['D1A 0B1', 'W1A 0B1', 'Z1A 0B1', 'K1O 0B1', 'K1A0B', '12345'],
  },
  GB: {
    valid: [
      ['SW1A 1AA', 'SW1A 1AA'],
      ['sw1a1aa', 'SW1A 1AA'],
      ['EC1A  1BB', 'EC1A 1BB'],
      ['W1A 0AX', 'W1A 0AX'],
      ['m11ae', 'M1 1AE'],
      ['B33 8TH', 'B33 8TH'],
      ['CR2 6XH', 'CR2 6XH'],
      ['DN55 1PT', 'DN55 1PT'],
      ['gir0aa', 'GIR 0AA'],
    ],
    // Q first, I or J second, C/I/K/M/O/V in the inward letters, wrong shapes.
    invalid: ['QA1 1AA', 'AI1 1AA', 'SW1A 1AC', 'SW1A 1IA', 'SW1A', '12345', 'SW1A 1AAA'],
  },
  IE: {
    valid: [
      ['D02 X285', 'D02 X285'],
      ['d02x285', 'D02 X285'],
      ['D6W 1234', 'D6W 1234'],
      ['A65 F4E2', 'A65 F4E2'],
    ],
    invalid: ['B02 X285', 'D02 X28', 'D02X2855', '12345'],
  },
  DE: {
    valid: [
      ['10115', '10115'],
      ['D-10115', '10115'],
      ['01067', '01067'],
    ],
    invalid: ['1011', '101155', 'D10115X', '10 11X'],
  },
  FR: {
    valid: [
      ['75008', '75008'],
      ['75 008', '75008'],
      ['F-75008', '75008'],
      ['98000', '98000'],
    ],
    invalid: ['7500', '750088', 'A5008'],
  },
  NL: {
    valid: [
      ['1012 AB', '1012 AB'],
      ['1012ab', '1012 AB'],
      ['NL-1012 AB', '1012 AB'],
      ['9999 ZZ', '9999 ZZ'],
    ],
    // No leading zero; SA, SD and SS are never issued.
    invalid: ['0123 AB', '1012 SA', '1012 SD', '1012 SS', '1012', '1012 A1'],
  },
  BE: {
    valid: [
      ['1000', '1000'],
      ['B-1000', '1000'],
    ],
    invalid: ['0999', '100', '10000'],
  },
  LU: {
    valid: [
      ['1009', '1009'],
      ['L-1009', '1009'],
      ['l-1009', '1009'],
    ],
    invalid: ['109', '10099', 'L1009X'],
  },
  AT: {
    valid: [
      ['1010', '1010'],
      ['A-1010', '1010'],
    ],
    invalid: ['0101', '10100'],
  },
  CH: {
    valid: [
      ['8001', '8001'],
      ['CH-8001', '8001'],
      ['ch-8001', '8001'],
    ],
    invalid: ['0800', '80011', 'CH8001X'],
  },
  IT: {
    valid: [
      ['00184', '00184'],
      ['I-00184', '00184'],
    ],
    invalid: ['0018', '001844'],
  },
  ES: {
    valid: [
      ['28013', '28013'],
      ['01001', '01001'],
      ['52001', '52001'],
      ['E-28013', '28013'],
    ],
    // Provinces run 01 to 52.
    invalid: ['00123', '53001', '99999', '2801'],
  },
  PT: {
    valid: [
      ['1000-001', '1000-001'],
      ['1000001', '1000-001'],
      ['1000 001', '1000-001'],
    ],
    invalid: ['0100-001', '1000', '1000-01', '10000011'],
  },
  DK: {
    valid: [
      ['1050', '1050'],
      ['DK-1050', '1050'],
      ['0800', '0800'],
    ],
    invalid: ['105', '10500'],
  },
  SE: {
    valid: [
      ['114 55', '114 55'],
      ['11455', '114 55'],
      ['SE-114 55', '114 55'],
      ['S-11455', '114 55'],
    ],
    invalid: ['014 55', '1145', '114 555'],
  },
  NO: {
    valid: [
      ['0150', '0150'],
      ['N-0150', '0150'],
      ['NO-0150', '0150'],
    ],
    invalid: ['150', '01500'],
  },
  FI: {
    valid: [
      ['00100', '00100'],
      ['FI-00100', '00100'],
    ],
    invalid: ['0010', '001000'],
  },
  PL: {
    valid: [
      ['00-950', '00-950'],
      ['00950', '00-950'],
      ['00 950', '00-950'],
    ],
    invalid: ['00-95', '009500', 'AB-950'],
  },
  AU: {
    valid: [
      ['2000', '2000'],
      ['0800', '0800'],
    ],
    invalid: ['200', '20000', 'NSW 2000'],
  },
  NZ: {
    valid: [['6011', '6011']],
    invalid: ['601', '60111'],
  },
  JP: {
    valid: [
      ['100-0001', '100-0001'],
      ['1000001', '100-0001'],
      ['〒100-0001', '100-0001'],
      // Full-width digits and hyphen, as Japanese keyboards type them.
      ['１００－０００１', '100-0001'],
    ],
    invalid: ['100-001', '10000011', '100ー0001'],
  },
};

describe('shipping countries', () => {
  it('are the 22 the store ships to, each once, upper-case ISO 3166-1 alpha-2', () => {
    expect(SHIPPING_COUNTRY_CODES).toHaveLength(22);
    expect(new Set(SHIPPING_COUNTRY_CODES).size).toBe(22);
    for (const code of SHIPPING_COUNTRY_CODES) expect(code).toMatch(/^[A-Z]{2}$/);
    expect(SHIPPING_COUNTRIES.map((c) => c.code)).toEqual([...SHIPPING_COUNTRY_CODES]);
  });

  it('each has a test table here', () => {
    expect(Object.keys(cases).sort()).toEqual([...SHIPPING_COUNTRY_CODES].sort());
  });

  it("each country's example postal code is in its canonical form", () => {
    for (const country of SHIPPING_COUNTRIES)
      expect(normalizePostalCode(country, country.postalCodeExample), country.code).toBe(
        country.postalCodeExample,
      );
  });

  it('looks codes up as given: normalizing is the caller’s (validateAddress) job', () => {
    expect(shippingCountry('DE')?.name).toBe('Germany');
    expect(shippingCountry('de')).toBeUndefined();
    expect(isShippingCountry('JP')).toBe(true);
    expect(isShippingCountry('CN')).toBe(false);
    expect(isShippingCountry('')).toBe(false);
  });
});

describe('normalizePostalCode', () => {
  for (const [code, { valid, invalid }] of Object.entries(cases) as [
    CountryCode,
    (typeof cases)[CountryCode],
  ][]) {
    describe(code, () => {
      it.each(valid)('accepts %j as %j', (raw, canonical) => {
        expect(normalize(code, raw)).toBe(canonical);
      });
      it.each(invalid.map((raw) => [raw]))('refuses %j', (raw) => {
        expect(normalize(code, raw)).toBeNull();
      });
    });
  }

  it('refuses what is only a prefix, blank, or absurdly long', () => {
    expect(normalize('LU', 'L-')).toBeNull();
    expect(normalize('DE', '   ')).toBeNull();
    expect(normalize('DE', '1'.repeat(21))).toBeNull();
    expect(normalize('DE', `10115${' '.repeat(100)}`)).toBeNull();
  });

  it('does not mistake another country’s prefix for its own', () => {
    expect(normalize('DE', 'L-10115')).toBeNull();
    expect(normalize('AT', 'D-1010')).toBeNull();
  });
});
