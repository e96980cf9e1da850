import { TAX_CLASSES, type TaxClass } from '@shop/pricing';
import { invalid } from './errors.ts';
import { parsePrice } from './price.ts';
import { parseEntityId, parseText, parseWholeNumber } from './validation.ts';

export const LIMITS = {
  name: 200,
  description: 5000,
  sku: 64,
  attributes: 30,
  attributeName: 50,
  attributeValue: 200,
  images: 10,
  imageUrl: 500,
  maxStock: 1_000_000,
  /** Shipping weight of one unit, whole grams (100 kg: more is freight, not parcel). */
  minWeightGrams: 1,
  maxWeightGrams: 100_000,
} as const;
export const CURRENCIES = ['USD'] as const;

export interface AttributeInput {
  name: string;
  value: string;
}

export interface ProductFieldsInput {
  name?: string | null;
  description?: string | null;
  price?: string | null;
  stock?: number | null;
  categoryId?: string | null;
  sku?: string | null;
  currency?: string | null;
  attributes?: AttributeInput[] | null;
  images?: string[] | null;
  weightGrams?: number | null;
  taxClass?: string | null;
}

/** Validated product fields; absent keys are left unchanged by an update. */
export interface ProductFields {
  name?: string;
  description?: string;
  price?: string;
  stock?: number;
  categoryId?: string;
  sku?: string;
  currency?: string;
  attributes?: Record<string, string>;
  images?: string[];
  weightGrams?: number;
  taxClass?: TaxClass;
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseAttributes(
  list: AttributeInput[],
  field = 'attributes',
): Record<string, string> {
  if (list.length > LIMITS.attributes)
    throw invalid(field, `${field} may have at most ${LIMITS.attributes} entries`);
  const out: Record<string, string> = {};
  for (const [i, attr] of list.entries()) {
    const name = parseText(attr.name, `${field}[${i}].name`, LIMITS.attributeName);
    const value = parseText(attr.value, `${field}[${i}].value`, LIMITS.attributeValue);
    if (Object.hasOwn(out, name)) throw invalid(field, `${field} names "${name}" twice`);
    out[name] = value;
  }
  return out;
}

export function parseImages(list: string[], field = 'images'): string[] {
  if (list.length > LIMITS.images)
    throw invalid(field, `${field} may have at most ${LIMITS.images} URLs`);
  return list.map((raw, i) => {
    const text = raw.trim();
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      text.length > LIMITS.imageUrl
    )
      throw invalid(
        `${field}[${i}]`,
        `${field}[${i}] must be an http(s) URL of at most ${LIMITS.imageUrl} characters`,
      );
    return text;
  });
}

/**
 * Validates the fields of createProduct (`required` names the fields that must be present) or
 * of updateProduct (nothing required; an explicit null for a field that cannot be empty is refused).
 */
export function parseProductFields(
  input: ProductFieldsInput,
  required: readonly (keyof ProductFieldsInput)[] = [],
): ProductFields {
  for (const key of required)
    if (input[key] === null || input[key] === undefined) throw invalid(key, `${key} is required`);
  const nullable = new Set<string>(['description', 'attributes', 'images']);
  for (const [key, value] of Object.entries(input))
    if (value === null && !nullable.has(key)) throw invalid(key, `${key} cannot be null`);
  const out: ProductFields = {};
  if (input.name != null) out.name = parseText(input.name, 'name', LIMITS.name);
  if (input.description !== undefined)
    out.description = parseText(input.description ?? '', 'description', LIMITS.description, {
      allowEmpty: true,
      multiline: true,
    });
  if (input.price != null) out.price = parsePrice(input.price, 'price');
  if (input.stock != null) out.stock = parseWholeNumber(input.stock, 'stock', 0, LIMITS.maxStock);
  if (input.categoryId != null) out.categoryId = parseEntityId(input.categoryId, 'categoryId');
  if (input.sku != null) {
    const sku = input.sku.trim();
    if (!SKU.test(sku) || sku.length > LIMITS.sku)
      throw invalid(
        'sku',
        `sku must be letters, digits, dots, dashes or underscores (at most ${LIMITS.sku})`,
      );
    out.sku = sku.toUpperCase();
  }
  if (input.currency != null) {
    if (!(CURRENCIES as readonly string[]).includes(input.currency))
      throw invalid('currency', `currency must be one of ${CURRENCIES.join(', ')}`);
    out.currency = input.currency;
  }
  if (input.attributes !== undefined) out.attributes = parseAttributes(input.attributes ?? []);
  if (input.images !== undefined) out.images = parseImages(input.images ?? []);
  if (input.weightGrams != null) out.weightGrams = parseWeightGrams(input.weightGrams);
  if (input.taxClass != null) out.taxClass = parseTaxClass(input.taxClass);
  return out;
}

/** Shipping weight of one unit: whole grams from 1 to 100000. */
export function parseWeightGrams(value: number, field = 'weightGrams'): number {
  return parseWholeNumber(value, field, LIMITS.minWeightGrams, LIMITS.maxWeightGrams);
}

/** One of TAX_CLASSES (@shop/pricing); GraphQL's enum already refuses others at the edge. */
export function parseTaxClass(value: string, field = 'taxClass'): TaxClass {
  const found = TAX_CLASSES.find((taxClass) => taxClass === value);
  if (!found) throw invalid(field, `${field} must be one of ${TAX_CLASSES.join(', ')}`);
  return found;
}

/** A tax class read back from the database (its CHECK keeps it to TAX_CLASSES). */
export function storedTaxClass(value: string): TaxClass {
  const found = TAX_CLASSES.find((taxClass) => taxClass === value);
  if (!found) throw new Error(`products row has an unknown tax class: ${value}`);
  return found;
}

/** Attributes as the API lists them: `{ name value }` pairs ordered by name. */
export function attributeList(json: unknown): AttributeInput[] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return [];
  return Object.entries(json as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
