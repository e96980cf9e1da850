/**
 * A discount code's uses. A use is taken in the transaction that places its order and given
 * back in the transaction that cancels it; `discount_uses.released_at` is set at most once, so a
 * second cancellation, a redelivered event or a retried transaction gives nothing back twice.
 */

/** Gives back the use of order $1, if it has one not given back yet. */
const RELEASE_SQL = `
  WITH released AS (
    UPDATE discount_uses SET released_at = now()
     WHERE order_id = $1::uuid AND released_at IS NULL
    RETURNING code_id)
  UPDATE discount_codes c SET used = c.used - 1 FROM released r WHERE c.id = r.code_id`;

/** Runs inside the transaction that moves the order to CANCELLED. */
export async function releaseDiscountUse(
  tx: { query(sql: string, values: unknown[]): Promise<unknown> },
  orderId: string,
): Promise<void> {
  await tx.query(RELEASE_SQL, [orderId]);
}
