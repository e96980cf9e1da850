/**
 * What pricing a checkout needs from the order database: the store setting, the destination's
 * tax rates and the shipping methods that reach it. Read fresh for every quote and placement
 * (three small indexed reads, run side by side): a rate an admin changes applies at once.
 */
import type pg from 'pg';
import type {
  ShippingMethod,
  ShippingSetup,
  StoreSettings,
  TaxTable,
  WeightTier,
} from '@shop/pricing';
import { loadStoreSettings } from './store-settings.ts';

export interface CheckoutRules {
  store: StoreSettings;
  taxTable: TaxTable;
  shipping: ShippingSetup;
}

type Db = Pick<pg.Pool, 'query'>;

interface MethodRow {
  id: string;
  zone_id: string;
  zone_name: string;
  countries: string[];
  name: string;
  carrier: string;
  rate_kind: 'FLAT' | 'BY_WEIGHT';
  flat_amount: number | null;
  weight_tiers: WeightTier[] | null;
  free_above: number | null;
  min_days: number;
  max_days: number;
}

const toMethod = (row: MethodRow): ShippingMethod => ({
  id: row.id,
  name: row.name,
  carrier: row.carrier,
  zoneId: row.zone_id,
  estimatedDays: { min: row.min_days, max: row.max_days },
  rate:
    row.rate_kind === 'FLAT'
      ? { kind: 'FLAT', amount: row.flat_amount ?? 0 }
      : { kind: 'BY_WEIGHT', tiers: row.weight_tiers ?? [] },
  freeAbove: row.free_above,
});

/**
 * Rules for a destination (null: no address yet, so no tax and no shipping). `methodId` also
 * loads that method wherever it ships, so a quote can say why it does not reach the country.
 */
export async function loadCheckoutRules(
  db: Db,
  country: string | null,
  methodId: string | null = null,
): Promise<CheckoutRules> {
  const [store, rates, methods] = await Promise.all([
    loadStoreSettings(db),
    country
      ? db.query<{ tax_class: 'STANDARD' | 'REDUCED'; rate_bp: number }>(
          `SELECT tax_class, rate_bp FROM tax_rates WHERE country = $1`,
          [country],
        )
      : undefined,
    country || methodId
      ? db.query<MethodRow>(
          `SELECT m.id::text AS id, z.id::text AS zone_id, z.name AS zone_name,
                  z.countries::text[] AS countries, m.name, m.carrier, m.rate_kind, m.flat_amount,
                  m.weight_tiers, m.free_above, m.min_days, m.max_days
             FROM shipping_methods m JOIN shipping_zones z ON z.id = m.zone_id
            WHERE m.active AND ($1::char(2) = ANY (z.countries) OR m.id = $2::uuid)`,
          [country, methodId],
        )
      : undefined,
  ]);
  const taxTable: Record<string, { STANDARD: number; REDUCED: number }> = {};
  // A country with no STANDARD rate is one the store has not said how to tax: left out, so
  // pricing refuses it (UnknownTaxCountryError) instead of charging no tax.
  const standard = rates?.rows.find((r) => r.tax_class === 'STANDARD');
  if (country && standard)
    taxTable[country] = {
      STANDARD: standard.rate_bp,
      REDUCED: rates!.rows.find((r) => r.tax_class === 'REDUCED')?.rate_bp ?? standard.rate_bp,
    };
  const rows = methods?.rows ?? [];
  const zones = new Map(
    rows.map((r) => [
      r.zone_id,
      { id: r.zone_id, name: r.zone_name, countries: r.countries.map((c) => c.trim()) },
    ]),
  );
  return {
    store,
    taxTable,
    shipping: { zones: [...zones.values()], methods: rows.map(toMethod) },
  };
}
