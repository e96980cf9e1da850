import type { ProductFilter, ProductSort } from '../graphql/generated.ts';

/**
 * What a product list shows, as it lives in the URL (`?category=…&seller=…&min=…&max=…&
 * stock=1&q=…&sort=…&after=…`): a shared link or the back button gives the same list. Parsing is lenient
 * (an unknown sort or a malformed price is dropped, never an error page); serializing is
 * canonical (same state, same URL).
 */
export interface ListingState {
  categoryId?: string;
  sellerId?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  text?: string;
  sort?: ProductSort;
  after?: string;
}

export const SORTS: readonly { value: ProductSort; label: string }[] = [
  { value: 'NEWEST', label: 'Newest' },
  { value: 'PRICE_ASC', label: 'Price: low to high' },
  { value: 'PRICE_DESC', label: 'Price: high to low' },
  { value: 'RATING', label: 'Best rated' },
  { value: 'NAME', label: 'Name' },
];
export const DEFAULT_SORT: ProductSort = 'NEWEST';
export const PAGE_SIZE = 24;

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURSOR = /^[A-Za-z0-9_=+/:-]{1,512}$/;
const MAX_TEXT = 200;

const isSort = (value: string | null): value is ProductSort =>
  SORTS.some((sort) => sort.value === value);

export function parseListing(params: URLSearchParams): ListingState {
  const state: ListingState = {};
  const category = params.get('category');
  if (category && ID.test(category)) state.categoryId = category;
  const seller = params.get('seller');
  if (seller && ID.test(seller)) state.sellerId = seller;
  const min = params.get('min');
  if (min && PRICE.test(min)) state.minPrice = min;
  const max = params.get('max');
  if (max && PRICE.test(max)) state.maxPrice = max;
  if (params.get('stock') === '1') state.inStock = true;
  const text = params.get('q')?.trim();
  if (text) state.text = text.slice(0, MAX_TEXT);
  const sort = params.get('sort');
  if (isSort(sort) && sort !== DEFAULT_SORT) state.sort = sort;
  const after = params.get('after');
  if (after && CURSOR.test(after)) state.after = after;
  return state;
}

/** The canonical query string (without `?`) of a state; parameters in a fixed order. */
export function listingSearch(state: ListingState): string {
  const params = new URLSearchParams();
  if (state.text) params.set('q', state.text);
  if (state.categoryId) params.set('category', state.categoryId);
  if (state.sellerId) params.set('seller', state.sellerId);
  if (state.minPrice) params.set('min', state.minPrice);
  if (state.maxPrice) params.set('max', state.maxPrice);
  if (state.inStock) params.set('stock', '1');
  if (state.sort && state.sort !== DEFAULT_SORT) params.set('sort', state.sort);
  if (state.after) params.set('after', state.after);
  return params.toString();
}

/**
 * A change of filter or sort starts again at the first page: a cursor only pages the list it
 * came from.
 */
export function withChange(state: ListingState, change: Partial<ListingState>): ListingState {
  const next: ListingState = { ...state, ...change };
  if (!('after' in change)) delete next.after;
  for (const key of Object.keys(next) as (keyof ListingState)[])
    if (next[key] === undefined || next[key] === '' || next[key] === false) delete next[key];
  return next;
}

export function listingFilter(state: ListingState): ProductFilter | undefined {
  const filter: ProductFilter = {};
  if (state.categoryId) filter.categoryId = state.categoryId;
  if (state.sellerId) filter.sellerId = state.sellerId;
  if (state.minPrice) filter.minPrice = state.minPrice;
  if (state.maxPrice) filter.maxPrice = state.maxPrice;
  if (state.inStock) filter.inStock = true;
  if (state.text) filter.text = state.text;
  return Object.keys(filter).length ? filter : undefined;
}

/** Variables of the catalog query for a state: one function for the loader and the page. */
export function catalogVariables(state: ListingState) {
  return {
    filter: listingFilter(state),
    sort: state.sort ?? DEFAULT_SORT,
    first: PAGE_SIZE,
    after: state.after ?? null,
  };
}

/** Variables of the search query: the text is the search, the rest narrows it. */
export function searchVariables(state: ListingState) {
  const { text, ...rest } = state;
  return {
    query: text ?? '',
    filter: listingFilter(rest),
    first: PAGE_SIZE,
    after: state.after ?? null,
  };
}
