import { readFileSync } from 'node:fs';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TAX_CLASSES } from '@shop/pricing';
import { DomainError } from '@shop/subgraph-kit';
import {
  parseProductFields,
  parseTaxClass,
  parseWeightGrams,
  storedTaxClass,
} from '../src/domain/product-input.ts';

const ID = '0b6f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e00';

/** The code and field of the rule's refusal, or null when it passes. */
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, field: error.details.field, message: error.message };
  }
  return null;
};

describe('weightGrams', () => {
  it('takes whole grams from 1 to 100000', () => {
    expect(parseWeightGrams(1)).toBe(1);
    expect(parseWeightGrams(250)).toBe(250);
    expect(parseWeightGrams(100_000)).toBe(100_000);
    expect(parseProductFields({ weightGrams: 40 })).toEqual({ weightGrams: 40 });
  });

  it.each([0, -1, 100_001, 2.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %s, naming the field',
    (weightGrams) => {
      expect(refusal(() => parseProductFields({ weightGrams }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'weightGrams',
        message: 'weightGrams must be a whole number from 1 to 100000',
      });
    },
  );

  it('refuses an explicit null (the weight cannot be cleared), leaves an omitted one alone', () => {
    expect(refusal(() => parseProductFields({ weightGrams: null }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'weightGrams',
    });
    expect(parseProductFields({ name: 'Reel' })).toEqual({ name: 'Reel' });
    // Not required by createProduct: the column's default (250 g) applies.
    expect(
      parseProductFields({ name: 'Reel', price: '1', stock: 1, categoryId: ID }, [
        'name',
        'price',
        'stock',
        'categoryId',
      ]),
    ).not.toHaveProperty('weightGrams');
  });
});

describe('taxClass', () => {
  it('takes every class of @shop/pricing', () => {
    for (const taxClass of TAX_CLASSES) {
      expect(parseTaxClass(taxClass)).toBe(taxClass);
      expect(parseProductFields({ taxClass })).toEqual({ taxClass });
    }
  });

  it.each(['standard', 'LUXURY', '', ' ZERO'])('refuses %j, naming the field', (taxClass) => {
    expect(refusal(() => parseProductFields({ taxClass }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'taxClass',
      message: 'taxClass must be one of STANDARD, REDUCED, ZERO',
    });
  });

  it('refuses an explicit null', () => {
    expect(refusal(() => parseProductFields({ taxClass: null }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'taxClass',
    });
  });

  it('treats an unknown stored class as a broken row, not as the caller’s fault', () => {
    expect(storedTaxClass('REDUCED')).toBe('REDUCED');
    expect(() => storedTaxClass('LUXURY')).toThrow(/unknown tax class: LUXURY/);
    expect(() => storedTaxClass('LUXURY')).not.toThrow(DomainError);
  });

  it('is the same list in the GraphQL enum and in the migration’s CHECK', () => {
    const sdl = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
    const enumType = sdl.definitions.find(
      (d): d is EnumTypeDefinitionNode =>
        d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'TaxClass',
    );
    expect(enumType?.values?.map((v) => v.name.value)).toEqual([...TAX_CLASSES]);
    for (const value of enumType?.values ?? []) expect(value.description?.value).toBeTruthy();

    const migration = readFileSync(
      new URL(
        '../../../prisma/catalog/migrations/0007_product_weight_and_tax_class/migration.sql',
        import.meta.url,
      ),
      'utf8',
    );
    const check = /CHECK \("tax_class" IN \(([^)]*)\)\)/.exec(migration)?.[1];
    expect(check?.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...TAX_CLASSES]);
  });
});
