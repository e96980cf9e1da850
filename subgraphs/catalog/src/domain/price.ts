import { invalid } from './errors.ts';

/** Highest price a product may have or a filter may name (the column holds 12 digits, 2 after the point). */
export const MAX_PRICE = '1000000.00';
const DECIMAL = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/**
 * Parses a decimal price string ("24.99", "5", "0.5") into its canonical two-digit form.
 * Refuses negatives, exponents, more than two fraction digits, and anything above MAX_PRICE.
 */
export function parsePrice(value: string, field: string): string {
  const match = DECIMAL.exec(value.trim());
  if (!match)
    throw invalid(
      field,
      `${field} must be a decimal amount like "24.99" (at most two digits after the point, not negative)`,
    );
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const cents = (match[2] ?? '').padEnd(2, '0');
  const canonical = `${whole}.${cents}`;
  if (compareDecimal(canonical, MAX_PRICE) > 0)
    throw invalid(field, `${field} must be at most ${MAX_PRICE}`);
  return canonical;
}

/** Compares two canonical decimal strings (as parsePrice returns) without floating point. */
export function compareDecimal(a: string, b: string): number {
  const [aw, af] = a.split('.') as [string, string];
  const [bw, bf] = b.split('.') as [string, string];
  if (aw.length !== bw.length) return aw.length - bw.length;
  if (aw !== bw) return aw < bw ? -1 : 1;
  return af === bf ? 0 : af < bf ? -1 : 1;
}
