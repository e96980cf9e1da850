import { invalid } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseEntityId(value: string, field: string): string {
  if (!UUID.test(value)) throw invalid(field, `${field} is not a valid id`);
  return value.toLowerCase();
}

/** True for C0 control characters and DEL (tab, line feed and carriage return allowed when multiline). */
function hasControlCharacters(text: string, multiline: boolean): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (multiline && (code === 9 || code === 10 || code === 13)) continue;
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/** A trimmed, non-empty (unless allowEmpty) string of at most `max` characters without control characters. */
export function parseText(
  value: string,
  field: string,
  max: number,
  options: { allowEmpty?: boolean; multiline?: boolean } = {},
): string {
  const text = value.trim();
  if (!options.allowEmpty && text.length === 0) throw invalid(field, `${field} must not be empty`);
  if (text.length > max) throw invalid(field, `${field} must be at most ${max} characters`);
  if (hasControlCharacters(text, options.multiline ?? false))
    throw invalid(field, `${field} contains control characters`);
  return text;
}

export function parseWholeNumber(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `${field} must be a whole number from ${min} to ${max}`);
  return value;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_SLUG = 120;

export function parseSlug(value: string, field: string): string {
  const slug = value.trim();
  if (!SLUG.test(slug) || slug.length > MAX_SLUG)
    throw invalid(
      field,
      `${field} must be lower-case letters, digits and single dashes (at most ${MAX_SLUG} characters)`,
    );
  return slug;
}

/** A slug made from a display name: "Spinning Rods & Reels" -> "spinning-rods-reels". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, '');
}
