import {
  parseProductFilter as parseContractFilter,
  type ProductFilterInput,
} from '@shop/subgraph-kit';
import { invalid } from './errors.ts';

export type { ProductFilterInput } from '@shop/subgraph-kit';

/** A validated filter: ids are lower-case UUIDs, prices canonical decimals, text split in words. */
export interface ProductFilter {
  categoryId?: string;
  sellerId?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  /** Lower-cased words; a product matches when each word occurs in its name or description. */
  words?: string[];
}

export const MAX_FILTER_WORDS = 8;

/** The shared ProductFilter rules, plus the word split the catalog's SQL text match uses. */
export function parseProductFilter(input: ProductFilterInput | null | undefined): ProductFilter {
  const { text, ...rest } = parseContractFilter(input);
  const filter: ProductFilter = rest;
  if (text) {
    const words = [...new Set(text.toLowerCase().split(' '))];
    if (words.length > MAX_FILTER_WORDS)
      throw invalid('filter.text', `filter.text may have at most ${MAX_FILTER_WORDS} words`);
    filter.words = words;
  }
  return filter;
}

/** ILIKE pattern matching `word` literally anywhere (%, _ and \ escaped). */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
