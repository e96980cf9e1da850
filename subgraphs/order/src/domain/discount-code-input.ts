/**
 * An admin's new discount code, checked before anything is written: every problem is a
 * BAD_USER_INPUT naming the input field. Amounts become minor units, percentages basis points.
 */
import { toMinorUnits, validateDiscountCode, type DiscountCode } from '@shop/pricing';
import { DomainError, isId } from '@shop/subgraph-kit';

export const DISCOUNT_KINDS = ['PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING'] as const;
export type DiscountKindName = (typeof DISCOUNT_KINDS)[number];

export interface DiscountCodeInput {
  code: string;
  kind: DiscountKindName;
  value?: string | null;
  minSubtotal?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  categoryIds?: readonly string[] | null;
  productIds?: readonly string[] | null;
}

/** A code as stored (discount_codes), minus what the database assigns. */
export interface NewDiscountCode {
  code: string;
  kind: DiscountKindName;
  /** Basis points (PERCENTAGE), minor units (FIXED_AMOUNT), 0 (FREE_SHIPPING). */
  value: number;
  minSubtotal: number;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  categoryIds: string[];
  productIds: string[];
}

const CODE = /^[A-Z0-9][A-Z0-9_-]{2,39}$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const MAX_TARGETS = 200;
const MAX_LIMIT = 1_000_000_000;

const bad = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field });

/** Codes are matched case-insensitively: stored and looked up upper case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function amount(value: string | null | undefined, field: string, fallback?: number): number {
  if (value == null || value === '') {
    if (fallback !== undefined) return fallback;
    throw bad(field, `${field} is required for this kind of code`);
  }
  try {
    return toMinorUnits(value.trim());
  } catch {
    throw bad(field, `${field} must be an amount like 10.00`);
  }
}

function percentBasisPoints(value: string | null | undefined): number {
  const match = PERCENT.exec(value?.trim() ?? '');
  if (!match) throw bad('value', 'value must be a percentage like 10 or 12.5');
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (basisPoints < 1 || basisPoints > 10_000)
    throw bad('value', 'value must be a percentage from 0.01 to 100');
  return basisPoints;
}

function instant(value: string | null | undefined, field: string): Date | null {
  if (value == null || value === '') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value))
    throw bad(field, `${field} must be an ISO 8601 date-time`);
  return new Date(time);
}

function limit(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_LIMIT)
    throw bad(field, `${field} must be a whole number from 1 to ${MAX_LIMIT}`);
  return value;
}

function ids(values: readonly string[] | null | undefined, field: string): string[] {
  const list = [...new Set((values ?? []).map((v) => v.toLowerCase()))];
  if (list.length > MAX_TARGETS) throw bad(field, `${field} may list at most ${MAX_TARGETS} ids`);
  if (list.some((id) => !isId(id))) throw bad(field, `${field} holds an id that is not valid`);
  return list;
}

export function parseDiscountCodeInput(input: DiscountCodeInput, now: Date): NewDiscountCode {
  const code = normalizeCode(input.code);
  if (!CODE.test(code))
    throw bad(
      'code',
      'code must be 3 to 40 letters, digits, "-" or "_", starting with a letter or digit',
    );
  if (!DISCOUNT_KINDS.includes(input.kind)) throw bad('kind', 'kind is not a discount kind');
  let value = 0;
  if (input.kind === 'PERCENTAGE') value = percentBasisPoints(input.value);
  else if (input.kind === 'FIXED_AMOUNT') {
    value = amount(input.value, 'value');
    if (value < 1) throw bad('value', 'value must be more than 0.00');
  } else if (
    input.value != null &&
    input.value.trim() !== '' &&
    !/^0+(\.0+)?$/.test(input.value.trim())
  )
    throw bad('value', 'a FREE_SHIPPING code takes no value');
  const startsAt = instant(input.startsAt, 'startsAt') ?? now;
  const endsAt = instant(input.endsAt, 'endsAt');
  if (endsAt && endsAt <= startsAt) throw bad('endsAt', 'endsAt must be after startsAt');
  const categoryIds = ids(input.categoryIds, 'categoryIds');
  const productIds = ids(input.productIds, 'productIds');
  if (categoryIds.length > 0 && productIds.length > 0)
    throw bad('productIds', 'a code applies to categories or to products, not both');
  const parsed: NewDiscountCode = {
    code,
    kind: input.kind,
    value,
    minSubtotal: amount(input.minSubtotal, 'minSubtotal', 0),
    startsAt,
    endsAt,
    usageLimit: limit(input.usageLimit, 'usageLimit'),
    perCustomerLimit: limit(input.perCustomerLimit, 'perCustomerLimit'),
    categoryIds,
    productIds,
  };
  // The same checks pricing makes on a code it is handed: what is stored can always be priced.
  validateDiscountCode(toPricingCode({ ...parsed, disabled: false }));
  return parsed;
}

/** A stored code as @shop/pricing takes it. */
export function toPricingCode(row: NewDiscountCode & { disabled: boolean }): DiscountCode {
  return {
    code: row.code,
    benefit:
      row.kind === 'PERCENTAGE'
        ? { kind: 'PERCENTAGE', basisPoints: row.value }
        : row.kind === 'FIXED_AMOUNT'
          ? { kind: 'FIXED_AMOUNT', amount: row.value }
          : { kind: 'FREE_SHIPPING' },
    appliesTo:
      row.categoryIds.length > 0
        ? { kind: 'CATEGORIES', categoryIds: row.categoryIds }
        : row.productIds.length > 0
          ? { kind: 'PRODUCTS', productIds: row.productIds }
          : { kind: 'ALL_PRODUCTS' },
    minSubtotal: row.minSubtotal > 0 ? row.minSubtotal : null,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    disabled: row.disabled,
    usageLimit: row.usageLimit,
    perCustomerLimit: row.perCustomerLimit,
  };
}
