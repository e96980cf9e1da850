/**
 * Discount codes in plain SQL: the admin's list and changes, and the lookup pricing needs (a
 * code with its use counts). Counting a use once under concurrency happens at placement
 * (place-order-writes.ts) and cancellation (discount-uses.ts).
 */
import type pg from 'pg';
import { DomainError } from '@shop/subgraph-kit';
import type { DiscountKindName, NewDiscountCode } from '../domain/discount-code-input.ts';

export interface StoredDiscountCode extends NewDiscountCode {
  id: string;
  used: number;
  disabled: boolean;
  createdAt: Date;
}

/** A code as the graph shows it: with the store's currency for its amounts. */
export type DiscountCodeView = StoredDiscountCode & { currency: string };

type Db = Pick<pg.Pool, 'query'>;

const COLUMNS = `id::text AS id, code, kind, value, min_subtotal, starts_at, ends_at, usage_limit,
  per_customer_limit, used, category_ids::text[] AS category_ids,
  product_ids::text[] AS product_ids, disabled_at IS NOT NULL AS disabled, created_at`;

interface Row {
  id: string;
  code: string;
  kind: DiscountKindName;
  value: number;
  min_subtotal: number;
  starts_at: Date;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  used: number;
  category_ids: string[];
  product_ids: string[];
  disabled: boolean;
  created_at: Date;
}

const fromRow = (r: Row): StoredDiscountCode => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  value: r.value,
  minSubtotal: r.min_subtotal,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  usageLimit: r.usage_limit,
  perCustomerLimit: r.per_customer_limit,
  used: r.used,
  categoryIds: r.category_ids,
  productIds: r.product_ids,
  disabled: r.disabled,
  createdAt: r.created_at,
});

const UNIQUE_VIOLATION = '23505';

export async function createDiscountCode(
  db: Db,
  code: NewDiscountCode,
): Promise<StoredDiscountCode> {
  try {
    const { rows } = await db.query<Row>(
      `INSERT INTO discount_codes (id, code, kind, value, min_subtotal, starts_at, ends_at,
         usage_limit, per_customer_limit, category_ids, product_ids)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10::uuid[])
       RETURNING ${COLUMNS}`,
      [
        code.code,
        code.kind,
        code.value,
        code.minSubtotal,
        code.startsAt,
        code.endsAt,
        code.usageLimit,
        code.perCustomerLimit,
        code.categoryIds,
        code.productIds,
      ],
    );
    return fromRow(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new DomainError('CONFLICT', `A discount code ${code.code} already exists`, {
        field: 'code',
      });
    throw error;
  }
}

/** Newest first, `limit + 1` rows (the extra one says a next page exists). */
export async function listDiscountCodes(
  db: Db,
  limit: number,
  after: { createdAt: Date; id: string } | null,
): Promise<{ rows: StoredDiscountCode[]; totalCount: number }> {
  const [page, count] = await Promise.all([
    db.query<Row>(
      `SELECT ${COLUMNS} FROM discount_codes
        WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [after?.createdAt ?? null, after?.id ?? null, limit + 1],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM discount_codes`),
  ]);
  return { rows: page.rows.map(fromRow), totalCount: count.rows[0]!.n };
}

/** Disables a code (again is harmless: the first time stays recorded). Null: no such code. */
export async function disableDiscountCode(db: Db, id: string): Promise<StoredDiscountCode | null> {
  const { rows } = await db.query<Row>(
    `UPDATE discount_codes SET disabled_at = coalesce(disabled_at, now())
      WHERE id = $1::uuid RETURNING ${COLUMNS}`,
    [id],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * A code by its text with this customer's uses (orders placed and not cancelled). `lock` takes
 * the code's row lock for the rest of the caller's transaction: placements of one code then
 * count and take uses one after another, so the last use goes to exactly one of them.
 */
export async function findDiscountCode(
  db: Db,
  code: string,
  userId: string,
  options: { lock?: boolean } = {},
): Promise<(StoredDiscountCode & { customerUses: number }) | null> {
  const { rows } = await db.query<Row & { customer_uses: number }>(
    `SELECT ${COLUMNS},
            (SELECT count(*)::int FROM discount_uses u
              WHERE u.code_id = d.id AND u.user_id = $2::uuid AND u.released_at IS NULL)
              AS customer_uses
       FROM discount_codes d WHERE code = $1 ${options.lock ? 'FOR UPDATE' : ''}`,
    [code, userId],
  );
  return rows[0] ? { ...fromRow(rows[0]), customerUses: rows[0].customer_uses } : null;
}
