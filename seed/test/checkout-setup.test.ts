import { describe, expect, it } from 'vitest';
import { SHIPPING_COUNTRY_CODES } from '@shop/addresses';
import { validateMethod } from '@shop/pricing';
import { SEEDED_METHOD_ROWS, SEEDED_TAX_RATES, SEEDED_ZONE_ROWS } from '../src/checkout-setup.ts';

describe('the seeded checkout setup', () => {
  it('ships to every country addresses accept, each in exactly one zone, each with tax rates', () => {
    for (const country of SHIPPING_COUNTRY_CODES) {
      const zones = SEEDED_ZONE_ROWS.filter((z) => z.countries.includes(country));
      expect(
        zones.map((z) => z.name),
        country,
      ).toHaveLength(1);
      expect(SEEDED_TAX_RATES[country], country).toBeDefined();
      expect(
        SEEDED_METHOD_ROWS.some((m) => m.zone === zones[0]!.id),
        country,
      ).toBe(true);
    }
    const zoned = SEEDED_ZONE_ROWS.flatMap((z) => z.countries).sort();
    expect(zoned).toEqual([...SHIPPING_COUNTRY_CODES].sort());
  });

  it('holds only methods pricing accepts', () => {
    for (const m of SEEDED_METHOD_ROWS) {
      const flat: number | undefined = m.flat;
      expect(() =>
        validateMethod({
          id: m.id,
          name: m.name,
          carrier: m.carrier,
          zoneId: m.zone,
          estimatedDays: { min: m.days[0], max: m.days[1] },
          rate:
            flat !== undefined
              ? { kind: 'FLAT', amount: flat }
              : { kind: 'BY_WEIGHT', tiers: m.tiers ?? [] },
          freeAbove: m.freeAbove ?? null,
        }),
      ).not.toThrow();
    }
  });
});
