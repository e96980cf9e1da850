import { createRequire } from 'node:module';
import type { GraphQLSchema, DocumentNode } from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';

// The supergraph schema is built by @apollo/gateway, which loads graphql's CommonJS build; the
// ESM build of this library would bring graphql's ESM build, and graphql refuses to mix the two
// ("Cannot use GraphQLObjectType from another module or realm"). Load the CommonJS build.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;

/** Page size assumed for a list field whose `first` argument is not given (the subgraphs' default). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Items assumed for each list field that has no `first` argument (the subgraph returns it
 * whole), by schema coordinate. Each must be at least the real size, or the cost limit lets
 * through queries that do many times the work it allowed. Measured in the seeded store
 * (`seed/`, 3,000 products): 28 categories, 7 of them roots, at most 4 children per category,
 * categories 2 levels deep, 8 sellers; the estimates leave room for a store about twice that.
 * A store that grows past them raises them with `QUERY_COST_LIST_SIZES`. The other lists are
 * bounded by the subgraphs' own rules, named beside each.
 */
export const DEFAULT_LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.categories': 50,
  'Query.rootCategories': 10,
  'Query.sellers': 20,
  // The sellers one user manages: one each in the seeded store.
  'Query.mySellers': 10,
  'Category.children': 10,
  'Category.path': 5,
  // A cart holds at most 50 lines (cart MAX_LINES); an order is placed from one cart.
  'Cart.items': 50,
  'Order.items': 50,
  // PLACED, STOCK_RESERVED, PAYMENT_AUTHORIZED, COMPLETED or CANCELLED, and two compensations.
  'Order.workflow': 10,
  // A product has at most 30 attributes (catalog product-input LIMITS).
  'Product.attributes': 30,
  // The search subgraph returns at most 50 category facets and its 6 fixed price ranges.
  'ProductSearchFacets.categories': 50,
  'ProductSearchFacets.priceRanges': 6,
};

/** `[T]`, `[T]!`, `[T!]!`: a list, whatever graphql-js realm the schema comes from. */
const isList = (type: unknown) => String(type).replace(/!$/, '').startsWith('[');

interface FieldLike {
  name: string;
  type: unknown;
  args?: readonly { name: string }[];
}
const hasFirst = (field: FieldLike) => field.args?.some((arg) => arg.name === 'first') ?? false;

function namedTypeName(type: unknown): string {
  let t = type as { ofType?: unknown; name?: string };
  while (t.ofType) t = t.ofType as typeof t;
  return t.name ?? '';
}

/**
 * Types returned by a paged field (`products(first:)` returns ProductConnection): their lists
 * (`edges`, `hits`) are the page whose size the paged field already multiplied by.
 */
const pageTypesOf = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
export function pageTypes(schema: GraphQLSchema): ReadonlySet<string> {
  let types = pageTypesOf.get(schema);
  if (!types) {
    const found = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      const fields = (type as { getFields?: () => Record<string, FieldLike> }).getFields?.();
      for (const field of Object.values(fields ?? {}))
        if (hasFirst(field)) found.add(namedTypeName(field.type));
    }
    types = found;
    pageTypesOf.set(schema, types);
  }
  return types;
}

/**
 * A field's children count once per item it returns: a paged field (`products(first: 100)
 * { edges { node { reviews(first: 50) ... } } }`) once per requested item, 100 x 50 x ...; a
 * whole list of objects (`categories`, `Category.children`) once per item it is estimated to
 * hold; a page's own items (`edges`) once, as the page size counted them already. Every other
 * field costs 1 plus its children.
 */
function listEstimator(
  schema: GraphQLSchema,
  listSizes: Readonly<Record<string, number>>,
): ComplexityEstimator {
  const pages = pageTypes(schema);
  return ({ args, childComplexity, field, type }) => {
    if (hasFirst(field)) {
      const first =
        typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
      return 1 + first * childComplexity;
    }
    // Scalar lists have no children to multiply; page items were multiplied by their page;
    // introspection (`__Schema.types`, `__Type.fields`) is answered from memory by the gateway.
    if (
      !isList(field.type) ||
      childComplexity === 0 ||
      pages.has(type.name) ||
      type.name.startsWith('__')
    )
      return undefined;
    const size = listSizes[`${type.name}.${field.name}`] ?? DEFAULT_PAGE_SIZE;
    return 1 + size * childComplexity;
  };
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
  listSizes: Readonly<Record<string, number>> = DEFAULT_LIST_SIZES,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    ...(operationName ? { operationName } : {}),
    estimators: [listEstimator(schema, listSizes), simpleEstimator({ defaultComplexity: 1 })],
  });
}
