import {
  SHIPPING_COUNTRY_CODES,
  normalizePostalCode,
  shippingCountry,
  type CountryCode,
} from './countries.ts';

/** An address as a customer types it (the GraphQL AddressInput). */
export interface AddressInput {
  recipient: string;
  phone: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2; lower case and surrounding spaces are accepted. */
  country: string;
}

/** A valid address: every text trimmed and NFC, optional parts null when empty. */
export interface NormalizedAddress {
  recipient: string;
  phone: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  /** In the country's canonical form (`SW1A 1AA`, `1012 AB`, `1000-001`). */
  postalCode: string;
  /** Upper-case ISO 3166-1 alpha-2 code of a country the store ships to. */
  country: CountryCode;
}

/**
 * An address-book entry as a cart and an order keep their copy of it (the user service's
 * `Address`): the copy keeps what was chosen, whatever the book says later.
 */
export interface AddressCopy extends Omit<NormalizedAddress, 'country'> {
  id: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  isDefault: boolean;
}

export type AddressField = keyof AddressInput;

/** What is wrong with one field, in a message that names the field and never repeats its value. */
export interface AddressProblem {
  field: AddressField;
  message: string;
}

export type AddressValidation =
  { ok: true; address: NormalizedAddress } | { ok: false; problems: AddressProblem[] };

/** Length limits in characters (Unicode code points, as PostgreSQL's varchar counts them). */
export const ADDRESS_LIMITS = {
  recipient: { min: 1, max: 100 },
  line1: { min: 1, max: 200 },
  line2: { min: 0, max: 200 },
  city: { min: 1, max: 100 },
  region: { min: 0, max: 100 },
} as const;

/** A phone number holds 6 to 20 digits and, with its separators, at most 40 characters. */
export const PHONE_DIGITS = { min: 6, max: 20 } as const;
export const PHONE_MAX_LENGTH = 40;

/**
 * C0 and C1 controls (tab and line breaks included), the line and paragraph separators, and the
 * bidi overrides that make text render as something else.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const PHONE_SHAPE = /^\+?[0-9 ()-]+$/;

const length = (text: string) => [...text].length;

type TextField = keyof typeof ADDRESS_LIMITS;

/**
 * One text field: trimmed and NFC. Undefined (with a problem recorded) when invalid; null when
 * an optional field is absent or blank.
 */
function text(
  value: unknown,
  field: TextField,
  problems: AddressProblem[],
): string | null | undefined {
  const { min, max } = ADDRESS_LIMITS[field];
  if (value === undefined || value === null) {
    if (min === 0) return null;
    problems.push({ field, message: `${field} is required` });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, message: `${field} must be text` });
    return undefined;
  }
  // Far longer than allowed: refused before normalizing it.
  if (value.length > max * 4) {
    problems.push({ field, message: `${field} must be at most ${max} characters` });
    return undefined;
  }
  const trimmed = value.normalize('NFC').trim();
  if (trimmed === '') {
    if (min === 0) return null;
    problems.push({ field, message: `${field} is required` });
    return undefined;
  }
  if (length(trimmed) > max) {
    problems.push({ field, message: `${field} must be at most ${max} characters` });
    return undefined;
  }
  if (UNPRINTABLE.test(trimmed)) {
    problems.push({ field, message: `${field} must not contain control characters` });
    return undefined;
  }
  return trimmed;
}

/**
 * A phone number, loosely E.164: digits, spaces, parentheses, hyphens and one leading `+`,
 * with 6 to 20 digits. Kept as typed, but trimmed and with runs of spaces made one.
 */
function phone(value: unknown, problems: AddressProblem[]): string | undefined {
  const field = 'phone';
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({
      field,
      message:
        typeof value === 'string' || value == null ? 'phone is required' : 'phone must be text',
    });
    return undefined;
  }
  if (value.length > PHONE_MAX_LENGTH * 4) {
    problems.push({ field, message: `phone must be at most ${PHONE_MAX_LENGTH} characters` });
    return undefined;
  }
  const normalized = value.normalize('NFKC').trim().replace(/ {2,}/g, ' ');
  if (UNPRINTABLE.test(normalized)) {
    problems.push({ field, message: 'phone must not contain control characters' });
    return undefined;
  }
  if (!PHONE_SHAPE.test(normalized)) {
    problems.push({
      field,
      message: 'phone may hold only digits, spaces, parentheses, hyphens and a leading +',
    });
    return undefined;
  }
  const digits = normalized.replace(/\D/g, '').length;
  if (digits < PHONE_DIGITS.min || digits > PHONE_DIGITS.max) {
    problems.push({
      field,
      message: `phone must have ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max} digits`,
    });
    return undefined;
  }
  if (normalized.length > PHONE_MAX_LENGTH) {
    problems.push({ field, message: `phone must be at most ${PHONE_MAX_LENGTH} characters` });
    return undefined;
  }
  return normalized;
}

/**
 * The country code: trimmed and upper-cased (`de` is `DE`), then one the store ships to. A
 * well-formed code is named in the message; anything else is not repeated.
 */
function country(value: unknown, problems: AddressProblem[]): CountryCode | undefined {
  const field = 'country';
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field, message: 'country is required' });
    return undefined;
  }
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) {
    problems.push({
      field,
      message: 'country must be a two-letter ISO 3166-1 alpha-2 code (for example US or DE)',
    });
    return undefined;
  }
  const found = shippingCountry(code);
  if (!found) {
    problems.push({
      field,
      message: `We do not ship to ${code}; country must be one of ${SHIPPING_COUNTRY_CODES.join(', ')}`,
    });
    return undefined;
  }
  return found.code;
}

/** The postal code, checked against the country's rules (only once the country is known). */
function postalCode(
  value: unknown,
  code: CountryCode | undefined,
  problems: AddressProblem[],
): string | undefined {
  const field = 'postalCode';
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field, message: 'postalCode is required' });
    return undefined;
  }
  if (!code) return undefined; // judged against a country, which is at fault already
  const country = shippingCountry(code)!;
  const normalized = normalizePostalCode(country, value);
  if (normalized === null) {
    problems.push({
      field,
      message: `postalCode is not a valid postal code for ${country.name} (for example ${country.postalCodeExample})`,
    });
    return undefined;
  }
  return normalized;
}

/**
 * Checks and normalizes an address. Every field is judged, and every problem is listed in the
 * order of the input's fields, so a form can mark them all at once. Pure: no I/O, no clock.
 */
export function validateAddress(input: AddressInput): AddressValidation {
  const problems: AddressProblem[] = [];
  const raw = (input ?? {}) as Partial<Record<AddressField, unknown>>;
  const recipient = text(raw.recipient, 'recipient', problems);
  const phoneNumber = phone(raw.phone, problems);
  const line1 = text(raw.line1, 'line1', problems);
  const line2 = text(raw.line2, 'line2', problems);
  const city = text(raw.city, 'city', problems);
  const region = text(raw.region, 'region', problems);
  // The country is read first: the postal code is judged by its rules.
  const countryProblems: AddressProblem[] = [];
  const code = country(raw.country, countryProblems);
  const postal = postalCode(raw.postalCode, code, problems);
  problems.push(...countryProblems);
  if (
    problems.length > 0 ||
    recipient == null ||
    phoneNumber === undefined ||
    line1 == null ||
    line2 === undefined ||
    city == null ||
    region === undefined ||
    postal === undefined ||
    code === undefined
  )
    return { ok: false, problems };
  return {
    ok: true,
    address: {
      recipient,
      phone: phoneNumber,
      line1,
      line2,
      city,
      region,
      postalCode: postal,
      country: code,
    },
  };
}
