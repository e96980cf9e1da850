/**
 * The address form's rules: the validator is the one the user service uses (@shop/addresses,
 * bundled at build time), so the form says what the API would say, before a round trip.
 */
import {
  ADDRESS_LIMITS,
  PHONE_MAX_LENGTH,
  validateAddress,
  type AddressField,
  type AddressInput,
} from '@shop/addresses';
import { countryName } from './countries.ts';

export { ADDRESS_LIMITS, PHONE_MAX_LENGTH, type AddressField, type AddressInput };

/** The form's label of every field, also used to word the validator's messages. */
export const ADDRESS_LABELS: Record<AddressField, string> = {
  recipient: 'Full name',
  phone: 'Phone',
  line1: 'Street and number',
  line2: 'Apartment, suite, etc.',
  city: 'City',
  region: 'State, province or region',
  postalCode: 'Postal code',
  country: 'Country',
};

export const ADDRESS_FIELDS = Object.keys(ADDRESS_LABELS) as AddressField[];

export const isAddressField = (field: string | undefined): field is AddressField =>
  field !== undefined && field in ADDRESS_LABELS;

/**
 * The validator's and the API's messages start with the field's name (`postalCode is not a
 * valid postal code for Germany (for example 10115)`); shown under the field, they start with
 * its label instead ("Postal code is not ...").
 */
export function fieldMessage(field: AddressField, message: string): string {
  if (!message.startsWith(`${field} `)) return message;
  return `${ADDRESS_LABELS[field]}${message.slice(field.length)}`;
}

/** The form's values as the API's AddressInput (optional parts null when blank). */
export function addressInputFrom(form: FormData): AddressInput {
  const value = (name: AddressField) => String(form.get(name) ?? '');
  const optional = (name: AddressField) => (value(name).trim() === '' ? null : value(name));
  return {
    recipient: value('recipient'),
    phone: value('phone'),
    line1: value('line1'),
    line2: optional('line2'),
    city: value('city'),
    region: optional('region'),
    postalCode: value('postalCode'),
    country: value('country'),
  };
}

/** Every problem of the address, by field, in the words shown under the fields; {} when valid. */
export function addressProblems(input: AddressInput): Partial<Record<AddressField, string>> {
  const result = validateAddress(input);
  if (result.ok) return {};
  const problems: Partial<Record<AddressField, string>> = {};
  for (const problem of result.problems)
    problems[problem.field] ??= fieldMessage(problem.field, problem.message);
  return problems;
}

export interface AddressValue {
  recipient: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
}

/** One line for a radio label or a list: "Ana Ruiz, Gran Via 1, 28013 Madrid, Spain". */
export function addressSummary(address: AddressValue): string {
  return [
    address.recipient,
    address.line1,
    address.line2,
    `${address.postalCode} ${address.city}`,
    address.region,
    countryName(address.country),
  ]
    .filter(Boolean)
    .join(', ');
}
