/**
 * The countries the store ships to, each with the canonical form of its postal codes. Codes are
 * ISO 3166-1 alpha-2. A postal code is normalized before it is checked: NFKC (full-width digits
 * become ASCII), upper case, a known prefix dropped (`L-1009`, `CH-8001`, `〒100-0001`), spaces
 * and hyphens removed, then written the country's one way (`sw1a1aa` -> `SW1A 1AA`,
 * `1012ab` -> `1012 AB`, `k1a0b1` -> `K1A 0B1`, `1000001` in Portugal -> `1000-001`).
 */
export const SHIPPING_COUNTRY_CODES = [
  'US',
  'CA',
  'GB',
  'IE',
  'DE',
  'FR',
  'NL',
  'BE',
  'LU',
  'AT',
  'CH',
  'IT',
  'ES',
  'PT',
  'DK',
  'SE',
  'NO',
  'FI',
  'PL',
  'AU',
  'NZ',
  'JP',
] as const;

export type CountryCode = (typeof SHIPPING_COUNTRY_CODES)[number];

export interface ShippingCountry {
  code: CountryCode;
  /** English short name. */
  name: string;
  /** What a postal code of the country looks like once normalized. */
  postalCode: RegExp;
  /** A real postal code in its canonical form, for messages and forms. */
  postalCodeExample: string;
  /** Prefixes people write before the code (`L-`), dropped when normalizing. */
  prefixes: readonly string[];
  /** Writes the compact form (no spaces or hyphens) the country's one way. */
  format: (compact: string) => string;
}

/** Inserts `separator` after the first `at` characters when the compact form has `length`. */
const splitAt =
  (at: number, separator: string, length: number) =>
  (compact: string): string =>
    compact.length === length ? `${compact.slice(0, at)}${separator}${compact.slice(at)}` : compact;

const asIs = (compact: string) => compact;

/** UK postcodes: the inward code is always the last three characters. */
const ukPostcode = (compact: string) =>
  compact.length >= 5 && compact.length <= 7
    ? `${compact.slice(0, -3)} ${compact.slice(-3)}`
    : compact;

type Spec = Omit<ShippingCountry, 'code' | 'prefixes' | 'format'> &
  Partial<Pick<ShippingCountry, 'prefixes' | 'format'>>;

const specs: Record<CountryCode, Spec> = {
  US: {
    name: 'United States',
    // ZIP or ZIP+4; nine digits typed together are ZIP+4.
    postalCode: /^\d{5}(?:-\d{4})?$/,
    postalCodeExample: '94105',
    format: splitAt(5, '-', 9),
  },
  CA: {
    name: 'Canada',
    // No D, F, I, O, Q or U anywhere, and no W or Z first.
    postalCode: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
    postalCodeExample: 'K1A 0B1',
    format: splitAt(3, ' ', 6),
  },
  GB: {
    name: 'United Kingdom',
    // Outward code A9, A99, AA9, AA99, A9A or AA9A, then the inward code 9AA (and GIR 0AA).
    postalCode:
      /^(?:GIR 0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) \d[ABD-HJLNP-UW-Z]{2})$/,
    postalCodeExample: 'SW1A 1AA',
    format: ukPostcode,
  },
  IE: {
    name: 'Ireland',
    // Eircode: a routing key (a letter and two digits, or D6W) and a four-character identifier.
    postalCode: /^(?:[AC-FHKNPRTV-Y]\d{2}|D6W) [0-9AC-FHKNPRTV-Y]{4}$/,
    postalCodeExample: 'D02 X285',
    format: splitAt(3, ' ', 7),
  },
  DE: { name: 'Germany', postalCode: /^\d{5}$/, postalCodeExample: '10115', prefixes: ['D-'] },
  FR: { name: 'France', postalCode: /^\d{5}$/, postalCodeExample: '75008', prefixes: ['F-'] },
  NL: {
    name: 'Netherlands',
    // Four digits (no leading zero) and two letters; SA, SD and SS are never issued.
    postalCode: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/,
    postalCodeExample: '1012 AB',
    prefixes: ['NL-'],
    format: splitAt(4, ' ', 6),
  },
  BE: { name: 'Belgium', postalCode: /^[1-9]\d{3}$/, postalCodeExample: '1000', prefixes: ['B-'] },
  LU: { name: 'Luxembourg', postalCode: /^\d{4}$/, postalCodeExample: '1009', prefixes: ['L-'] },
  AT: { name: 'Austria', postalCode: /^[1-9]\d{3}$/, postalCodeExample: '1010', prefixes: ['A-'] },
  CH: {
    name: 'Switzerland',
    postalCode: /^[1-9]\d{3}$/,
    postalCodeExample: '8001',
    prefixes: ['CH-'],
  },
  IT: { name: 'Italy', postalCode: /^\d{5}$/, postalCodeExample: '00184', prefixes: ['I-'] },
  ES: {
    name: 'Spain',
    // The first two digits are the province, 01 to 52.
    postalCode: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/,
    postalCodeExample: '28013',
    prefixes: ['E-'],
  },
  PT: {
    name: 'Portugal',
    postalCode: /^[1-9]\d{3}-\d{3}$/,
    postalCodeExample: '1000-001',
    format: splitAt(4, '-', 7),
  },
  DK: { name: 'Denmark', postalCode: /^\d{4}$/, postalCodeExample: '1050', prefixes: ['DK-'] },
  SE: {
    name: 'Sweden',
    postalCode: /^[1-9]\d{2} \d{2}$/,
    postalCodeExample: '114 55',
    prefixes: ['SE-', 'S-'],
    format: splitAt(3, ' ', 5),
  },
  NO: { name: 'Norway', postalCode: /^\d{4}$/, postalCodeExample: '0150', prefixes: ['NO-', 'N-'] },
  FI: { name: 'Finland', postalCode: /^\d{5}$/, postalCodeExample: '00100', prefixes: ['FI-'] },
  PL: {
    name: 'Poland',
    postalCode: /^\d{2}-\d{3}$/,
    postalCodeExample: '00-950',
    format: splitAt(2, '-', 5),
  },
  AU: { name: 'Australia', postalCode: /^\d{4}$/, postalCodeExample: '2000' },
  NZ: { name: 'New Zealand', postalCode: /^\d{4}$/, postalCodeExample: '6011' },
  JP: {
    name: 'Japan',
    postalCode: /^\d{3}-\d{4}$/,
    postalCodeExample: '100-0001',
    prefixes: ['〒'],
    format: splitAt(3, '-', 7),
  },
};

/** Every shipping country, in the order of SHIPPING_COUNTRY_CODES. */
export const SHIPPING_COUNTRIES: readonly ShippingCountry[] = SHIPPING_COUNTRY_CODES.map(
  (code) => ({ code, prefixes: [], format: asIs, ...specs[code] }),
);

const byCode = new Map<string, ShippingCountry>(SHIPPING_COUNTRIES.map((c) => [c.code, c]));

/**
 * The shipping country with this code, or undefined. Codes are matched as given: normalize
 * (trim, upper-case) first, as validateAddress does.
 */
export const shippingCountry = (code: string): ShippingCountry | undefined => byCode.get(code);

export const isShippingCountry = (code: string): code is CountryCode => byCode.has(code);

/** Longest postal code accepted as input, before normalizing (the longest canonical one is 8). */
export const POSTAL_CODE_INPUT_MAX = 20;

/**
 * The postal code in the country's canonical form, or null when it is not one of the country's
 * postal codes.
 */
export function normalizePostalCode(country: ShippingCountry, raw: string): string | null {
  if (raw.length > POSTAL_CODE_INPUT_MAX * 2) return null;
  let text = raw.normalize('NFKC').trim().toUpperCase();
  if (text.length > POSTAL_CODE_INPUT_MAX) return null;
  const prefix = country.prefixes.find((p) => text.startsWith(p));
  if (prefix) text = text.slice(prefix.length).trim();
  const canonical = country.format(text.replace(/[\s-]+/g, ''));
  return country.postalCode.test(canonical) ? canonical : null;
}
