import { invalid } from './errors.ts';
import { parseEntityId, parseSlug, parseText, slugify } from './validation.ts';

export const SELLER_LIMITS = { name: 200, description: 2000 } as const;

export interface SellerFieldsInput {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
}

/** Validated seller fields; absent keys are left unchanged by an update. */
export interface SellerFields {
  name?: string;
  slug?: string;
  description?: string;
}

/**
 * Validates createSeller (`create`: name required, slug derived from it when omitted) or
 * updateSeller input (nothing required; null is refused where the value cannot be empty).
 */
export function parseSellerFields(input: SellerFieldsInput, create = false): SellerFields {
  if (create && (input.name === null || input.name === undefined))
    throw invalid('name', 'name is required');
  for (const key of ['name', 'slug'] as const)
    if (input[key] === null) throw invalid(key, `${key} cannot be null`);
  const out: SellerFields = {};
  if (input.name != null) out.name = parseText(input.name, 'name', SELLER_LIMITS.name);
  if (input.slug != null) out.slug = parseSlug(input.slug, 'slug');
  else if (create) {
    out.slug = slugify(out.name!);
    if (!out.slug) throw invalid('slug', 'slug cannot be derived from this name; give one');
  }
  if (input.description !== undefined)
    out.description = parseText(input.description ?? '', 'description', SELLER_LIMITS.description, {
      allowEmpty: true,
      multiline: true,
    });
  return out;
}

export const parseOwnerUserId = (value: string | null | undefined): string | null =>
  value == null ? null : parseEntityId(value, 'ownerUserId');
