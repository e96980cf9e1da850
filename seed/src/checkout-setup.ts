/**
 * The store's checkout setup, so that a checkout works right after `npm start`: a NET-priced USD
 * store (prices before tax, tax added at checkout, as US shops show them), three shipping zones
 * with their methods, tax rates for every country the store ships to (@shop/addresses), and a
 * few discount codes to try. Loaded once: rows that exist (an admin may have changed them) are
 * left alone, so a restart never undoes a change.
 */
import pg from 'pg';
import { SHIPPING_COUNTRY_CODES } from '@shop/addresses';

/** Fixed ids, so a reload finds its rows and docs and tests can name them. */
export const SEEDED_ZONES = {
  domestic: '00000000-0000-4000-8000-00000000a001',
  europe: '00000000-0000-4000-8000-00000000a002',
  world: '00000000-0000-4000-8000-00000000a003',
} as const;

export const SEEDED_METHODS = {
  usStandard: '00000000-0000-4000-8000-00000000b001',
  usExpress: '00000000-0000-4000-8000-00000000b002',
  euStandard: '00000000-0000-4000-8000-00000000b003',
  euExpress: '00000000-0000-4000-8000-00000000b004',
  worldStandard: '00000000-0000-4000-8000-00000000b005',
} as const;

export const SEEDED_ZONE_ROWS = [
  { id: SEEDED_ZONES.domestic, name: 'United States', countries: ['US'] },
  {
    id: SEEDED_ZONES.europe,
    name: 'Europe',
    countries: [
      'GB',
      'IE',
      'DE',
      'FR',
      'NL',
      'BE',
      'LU',
      'AT',
      'CH',
      'IT',
      'ES',
      'PT',
      'DK',
      'SE',
      'NO',
      'FI',
      'PL',
    ],
  },
  { id: SEEDED_ZONES.world, name: 'Rest of the world', countries: ['CA', 'AU', 'NZ', 'JP'] },
];

/** Amounts in cents; tiers by total parcel weight (grams, inclusive), the last open-ended. */
export const SEEDED_METHOD_ROWS = [
  {
    id: SEEDED_METHODS.usStandard,
    zone: SEEDED_ZONES.domestic,
    name: 'Standard',
    carrier: 'USPS',
    tiers: [
      { upToGrams: 500, amount: 499 },
      { upToGrams: 2000, amount: 799 },
      { upToGrams: 5000, amount: 1299 },
      { upToGrams: null, amount: 1999 },
    ],
    freeAbove: 7500,
    days: [3, 6],
  },
  {
    id: SEEDED_METHODS.usExpress,
    zone: SEEDED_ZONES.domestic,
    name: 'Express',
    carrier: 'UPS',
    flat: 1499,
    days: [1, 2],
  },
  {
    id: SEEDED_METHODS.euStandard,
    zone: SEEDED_ZONES.europe,
    name: 'International Standard',
    carrier: 'DHL',
    tiers: [
      { upToGrams: 500, amount: 999 },
      { upToGrams: 2000, amount: 1499 },
      { upToGrams: null, amount: 2499 },
    ],
    freeAbove: 15000,
    days: [5, 10],
  },
  {
    id: SEEDED_METHODS.euExpress,
    zone: SEEDED_ZONES.europe,
    name: 'Express',
    carrier: 'DHL Express',
    flat: 2999,
    days: [2, 4],
  },
  {
    id: SEEDED_METHODS.worldStandard,
    zone: SEEDED_ZONES.world,
    name: 'International',
    carrier: 'FedEx',
    tiers: [
      { upToGrams: 1000, amount: 1999 },
      { upToGrams: null, amount: 3499 },
    ],
    days: [7, 14],
  },
] satisfies {
  id: string;
  zone: string;
  name: string;
  carrier: string;
  flat?: number;
  tiers?: { upToGrams: number | null; amount: number }[];
  freeAbove?: number;
  days: [number, number];
}[];

/**
 * Standard and reduced rates, basis points (VAT/GST as of 2026). The US has no national sales
 * tax; state taxes are out of this store's scope, so it charges none.
 */
export const SEEDED_TAX_RATES: Record<string, [standard: number, reduced: number]> = {
  US: [0, 0],
  CA: [500, 500],
  GB: [2000, 500],
  IE: [2300, 1350],
  DE: [1900, 700],
  FR: [2000, 550],
  NL: [2100, 900],
  BE: [2100, 600],
  LU: [1700, 800],
  AT: [2000, 1000],
  CH: [810, 260],
  IT: [2200, 1000],
  ES: [2100, 1000],
  PT: [2300, 600],
  DK: [2500, 2500],
  SE: [2500, 1200],
  NO: [2500, 1500],
  FI: [2550, 1400],
  PL: [2300, 800],
  AU: [1000, 1000],
  NZ: [1500, 1500],
  JP: [1000, 800],
};

export async function loadCheckoutSetup(
  targets: { orderUrl: string; catalogUrl: string },
  options: { log?: (line: string) => void } = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const missing = SHIPPING_COUNTRY_CODES.filter((c) => !SEEDED_TAX_RATES[c]);
  if (missing.length > 0) throw new Error(`no seeded tax rates for ${missing.join(', ')}`);
  const order = new pg.Client({ connectionString: targets.orderUrl });
  const catalog = new pg.Client({ connectionString: targets.catalogUrl });
  await Promise.all([order.connect(), catalog.connect()]);
  try {
    const { rows: reels } = await catalog.query<{ id: string }>(
      `SELECT id::text AS id FROM categories WHERE slug = 'reels'`,
    );
    await order.query('BEGIN');
    const { rowCount: firstTime } = await order.query(
      `INSERT INTO shipping_zones (id, name, countries)
       SELECT z.id, z.name, z.countries FROM jsonb_to_recordset($1::jsonb) AS z(id uuid, name text, countries char(2)[])
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(SEEDED_ZONE_ROWS)],
    );
    if (firstTime)
      await order.query(
        `UPDATE store_settings SET price_mode = 'NET', currency = 'USD' WHERE id = 1`,
      );
    await order.query(
      `INSERT INTO shipping_methods (id, zone_id, name, carrier, rate_kind, flat_amount, weight_tiers, free_above, min_days, max_days)
       SELECT m.id, m.zone, m.name, m.carrier, CASE WHEN m.flat IS NULL THEN 'BY_WEIGHT' ELSE 'FLAT' END,
              m.flat, m.tiers, m."freeAbove", (m.days->>0)::int, (m.days->>1)::int
         FROM jsonb_to_recordset($1::jsonb)
           AS m(id uuid, zone uuid, name text, carrier text, flat int, tiers jsonb, "freeAbove" int, days jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(SEEDED_METHOD_ROWS)],
    );
    const rates = Object.entries(SEEDED_TAX_RATES).flatMap(([country, [standard, reduced]]) => [
      { country, taxClass: 'STANDARD', rateBp: standard },
      { country, taxClass: 'REDUCED', rateBp: reduced },
    ]);
    await order.query(
      `INSERT INTO tax_rates (country, tax_class, rate_bp)
       SELECT r.country, r."taxClass", r."rateBp" FROM jsonb_to_recordset($1::jsonb) AS r(country char(2), "taxClass" text, "rateBp" int)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rates)],
    );
    const codes = [
      {
        code: 'WELCOME10',
        kind: 'PERCENTAGE',
        value: 1000,
        min: 0,
        perCustomer: 1,
        categories: [],
      },
      {
        code: 'TACKLE5',
        kind: 'FIXED_AMOUNT',
        value: 500,
        min: 5000,
        perCustomer: null,
        categories: [],
      },
      {
        code: 'FREESHIP',
        kind: 'FREE_SHIPPING',
        value: 0,
        min: 3000,
        perCustomer: null,
        categories: [],
      },
      ...(reels[0]
        ? [
            {
              code: 'REELS15',
              kind: 'PERCENTAGE',
              value: 1500,
              min: 0,
              perCustomer: null,
              categories: [reels[0].id],
            },
          ]
        : []),
    ];
    await order.query(
      `INSERT INTO discount_codes (id, code, kind, value, min_subtotal, per_customer_limit, category_ids)
       SELECT gen_random_uuid(), c.code, c.kind, c.value, c.min, c."perCustomer",
              ARRAY(SELECT jsonb_array_elements_text(c.categories))::uuid[]
         FROM jsonb_to_recordset($1::jsonb) AS c(code text, kind text, value int, min int, "perCustomer" int, categories jsonb)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(codes)],
    );
    await order.query('COMMIT');
    log(
      firstTime
        ? `checkout: ${SEEDED_ZONE_ROWS.length} shipping zones, ${SEEDED_METHOD_ROWS.length} methods, tax rates for ${rates.length / 2} countries, codes ${codes.map((c) => c.code).join(', ')}`
        : 'checkout: setup already there (left as it is)',
    );
  } catch (error) {
    await order.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await Promise.all([order.end(), catalog.end()]);
  }
}
