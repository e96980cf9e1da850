import { invalid } from './errors.ts';
import { compareDecimal, parsePrice } from './price.ts';
import { parseEntityId } from './validation.ts';

/** The contract's ProductFilter as clients send it. */
export interface ProductFilterInput {
  categoryId?: string | null;
  sellerId?: string | null;
  minPrice?: string | null;
  maxPrice?: string | null;
  inStock?: boolean | null;
  text?: string | null;
}

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

export const MAX_FILTER_TEXT = 200;
export const MAX_FILTER_WORDS = 8;

export function parseProductFilter(input: ProductFilterInput | null | undefined): ProductFilter {
  const filter: ProductFilter = {};
  if (!input) return filter;
  if (input.categoryId != null)
    filter.categoryId = parseEntityId(input.categoryId, 'filter.categoryId');
  if (input.sellerId != null) filter.sellerId = parseEntityId(input.sellerId, 'filter.sellerId');
  if (input.minPrice != null) filter.minPrice = parsePrice(input.minPrice, 'filter.minPrice');
  if (input.maxPrice != null) filter.maxPrice = parsePrice(input.maxPrice, 'filter.maxPrice');
  if (filter.minPrice && filter.maxPrice && compareDecimal(filter.minPrice, filter.maxPrice) > 0)
    throw invalid('filter.minPrice', 'filter.minPrice must not be greater than filter.maxPrice');
  if (input.inStock != null) filter.inStock = input.inStock;
  if (input.text != null) {
    const text = input.text.trim();
    if (text.length > MAX_FILTER_TEXT)
      throw invalid('filter.text', `filter.text must be at most ${MAX_FILTER_TEXT} characters`);
    const words = [...new Set(text.toLowerCase().split(/\s+/).filter(Boolean))];
    if (words.length > MAX_FILTER_WORDS)
      throw invalid('filter.text', `filter.text may have at most ${MAX_FILTER_WORDS} words`);
    if (words.length > 0) filter.words = words;
  }
  return filter;
}

/** ILIKE pattern matching `word` literally anywhere (%, _ and \ escaped). */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
