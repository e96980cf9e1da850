import { createRequire } from 'node:module';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql';
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
  // The methods that ship to one country: 2 per country in the seeded store.
  'Cart.shippingOptions': 10,
  'Order.items': 50,
  // One return open at a time; rejected ones stay listed: a handful per order.
  'Order.returns': 5,
  // A return names each of the order's products at most once.
  'Return.lines': 50,
  // PLACED, STOCK_RESERVED, PAYMENT_AUTHORIZED, COMPLETED or CANCELLED, and two compensations;
  // or the saga's four, the fulfilment steps (packed, shipped, delivered, a lost parcel) and a
  // return's (requested, approved, received, refunded).
  'Order.workflow': 15,
  // Packed, shipped, delivered, a lost parcel and its new one, a return requested, rejected or
  // received.
  'Fulfillment.events': 10,
  // A product has at most 30 attributes (catalog product-input LIMITS).
  'Product.attributes': 30,
  // The search subgraph returns at most 50 category facets and its 6 fixed price ranges.
  'ProductSearchFacets.categories': 50,
  'ProductSearchFacets.priceRanges': 6,
  // An address book holds at most 20 addresses (user MAX_ADDRESSES).
  'User.addresses': 20,
  // One entry per day and currency over at most 366 days (analytics MAX_RANGE_DAYS); a store
  // sells in one currency.
  'Query.revenueByDay': 366,
  // One entry per day of delivery over at most 365 days (analytics MAX_LAST_DAYS).
  'Query.deliveryTimes': 365,
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
 * Types a paged field returns as one page (`products(first:)` returns ProductConnection,
 * `searchProducts(first:)` ProductSearchResult): their lists (`edges`, `hits`) are the page's
 * items, the rest of them (`totalCount`, `pageInfo`, `facets`) is there once per page.
 */
const pageTypesOf = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
export function pageTypes(schema: GraphQLSchema): ReadonlySet<string> {
  let types = pageTypesOf.get(schema);
  if (!types) {
    const found = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      const fields = (type as { getFields?: () => Record<string, FieldLike> }).getFields?.();
      for (const field of Object.values(fields ?? {}))
        if (hasFirst(field) && !isList(field.type)) found.add(namedTypeName(field.type));
    }
    types = found;
    pageTypesOf.set(schema, types);
  }
  return types;
}

/** The fields a selection set selects, fragments included (a page type is an object type). */
function* selectedFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): Generator<FieldNode> {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === 'Field') yield selection;
    else if (selection.kind === 'InlineFragment')
      yield* selectedFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      yield* selectedFields(fragments.get(selection.name.value)?.selectionSet, fragments, seen);
      seen.delete(selection.name.value);
    }
  }
}

/**
 * A field's children count once per item it returns. A paged field (`products(first: 100)
 * { edges { node { reviews(first: 50) ... } } }`) counts its page's items once per requested
 * item, 100 x 50 x ..., and the rest of the page (`totalCount`, `facets`) once; a paged field
 * that returns a plain list counts all its children per item. A whole list of objects
 * (`categories`, `Category.children`) counts its children once per item it is estimated to hold.
 * Every other field costs 1 plus its children.
 */
function listEstimator(
  schema: GraphQLSchema,
  document: DocumentNode,
  listSizes: Readonly<Record<string, number>>,
): ComplexityEstimator {
  const pages = pageTypes(schema);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((d) => [d.name.value, d]),
  );
  // What each page's item list (an `edges` or `hits` node) cost for one item: estimators run
  // on children before their parent, so the paged field finds its items' cost here.
  const itemCost = new Map<FieldNode, number>();
  return ({ args, childComplexity, field, node, type }) => {
    if (pages.has(type.name) && isList(field.type)) {
      itemCost.set(node, 1 + childComplexity);
      return 1 + childComplexity;
    }
    if (hasFirst(field)) {
      const first =
        typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
      if (isList(field.type)) return 1 + first * childComplexity;
      let items = 0;
      for (const child of selectedFields(node.selectionSet, fragments))
        items += itemCost.get(child) ?? 0;
      return 1 + first * items + Math.max(0, childComplexity - items);
    }
    // Scalar lists have no children to multiply; introspection (`__Schema.types`,
    // `__Type.fields`) is answered from memory by the gateway.
    if (!isList(field.type) || childComplexity === 0 || type.name.startsWith('__'))
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
    estimators: [
      listEstimator(schema, document, listSizes),
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
}
