import type pg from 'pg';
import type { StoreSettings } from '@shop/pricing';

/** The store's checkout settings (one row, migration 0008 writes its defaults). */
export async function loadStoreSettings(db: Pick<pg.Pool, 'query'>): Promise<StoreSettings> {
  const { rows } = await db.query<StoreSettings>(
    `SELECT price_mode AS "priceMode", currency FROM store_settings WHERE id = 1`,
  );
  if (!rows[0]) throw new Error('store_settings has no row: run the migrations');
  return rows[0];
}
