import {
  Kind,
  type ArgumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';

// The gateway's schema is @apollo/gateway's (graphql-js loaded as CommonJS): its type checks.
const { getNamedType, isAbstractType, isListType, isNonNullType, isObjectType } = graphqlJs;

/**
 * The entities an answer holds, as purge tags: `Type:id` for an object of an entity type (an
 * object type with an `id` field) whose id was selected, and the bare `Type` for an entity met
 * inside a list or without its id, and for the entities of a Relay connection. A change to one
 * entity purges `Type:id` and `Type`: answers that show it, and lists whose membership or
 * order it may change (a new product in a category page, stock behind an `inStock` filter).
 * Over-tagging costs hit rate, never freshness.
 */
export function responseTags(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  data: Record<string, unknown> | null | undefined,
  variables: Record<string, unknown> = {},
): Set<string> {
  const tags = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root || !data) return tags;
  const walker = new TagWalker(schema, fragments, tags, variables);
  walker.object(root, [operation.selectionSet], data, false);
  return tags;
}

/** The entity type a Relay connection type lists (`edges: [{ node: Entity }]`), if it is one. */
function connectionNodeType(type: GraphQLObjectType): GraphQLObjectType | undefined {
  const edges = type.getFields().edges;
  if (!edges) return undefined;
  const edgeType = edges.type;
  const unwrapped = isNonNullType(edgeType) ? edgeType.ofType : edgeType;
  if (!isListType(unwrapped)) return undefined;
  const edge = getNamedType(unwrapped);
  if (!isObjectType(edge)) return undefined;
  const node = edge.getFields().node && getNamedType(edge.getFields().node!.type);
  return node && isObjectType(node) && node.getFields().id ? node : undefined;
}

class TagWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly tags: Set<string>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** Response key → the selection sets below it, for `type` (fragments applied). */
  private fields(type: GraphQLObjectType, sets: readonly SelectionSetNode[]) {
    const byKey = new Map<string, { name: string; sets: SelectionSetNode[]; id?: unknown }>();
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = byKey.get(key) ?? {
            name: selection.name.value,
            sets: [],
            id: this.idArgument(selection.arguments ?? []),
          };
          if (selection.selectionSet) entry.sets.push(selection.selectionSet);
          byKey.set(key, entry);
          continue;
        }
        const fragment =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection
            : this.fragments[selection.name.value];
        if (!fragment) continue;
        const condition = fragment.typeCondition?.name.value;
        if (condition && !this.applies(condition, type)) continue;
        visit(fragment.selectionSet);
      }
    };
    for (const set of sets) visit(set);
    return byKey;
  }

  /** The value of an `id` argument (literal or variable), if the field has one. */
  private idArgument(args: readonly ArgumentNode[]): unknown {
    const value = args.find((a) => a.name.value === 'id')?.value;
    if (!value) return undefined;
    if (value.kind === Kind.VARIABLE) return this.variables[value.name.value];
    if (value.kind === Kind.STRING || value.kind === Kind.INT) return value.value;
    return undefined;
  }

  private applies(condition: string, type: GraphQLObjectType): boolean {
    if (condition === type.name) return true;
    const named = this.schema.getType(condition);
    return !!named && isAbstractType(named) && this.schema.isSubType(named, type);
  }

  object(
    type: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
    value: Record<string, unknown>,
    inList: boolean,
  ): void {
    const fields = this.fields(type, sets);
    const own = type.getFields();
    if (own.id) {
      let id: unknown;
      for (const [key, field] of fields) if (field.name === 'id') id = value[key];
      if (typeof id === 'string' || typeof id === 'number') this.tags.add(`${type.name}:${id}`);
      if (inList || id === undefined || id === null) this.tags.add(type.name);
    }
    const listed = connectionNodeType(type);
    if (listed) this.tags.add(listed.name);
    for (const [key, field] of fields) {
      const definition = own[field.name];
      if (!definition || field.sets.length === 0) continue;
      // A lookup by id is about that entity even when it found none (`product(id:)` is null
      // until the product exists, or again after a deleted one comes back).
      const target = getNamedType(definition.type);
      if (
        (typeof field.id === 'string' || typeof field.id === 'number') &&
        isObjectType(target) &&
        target.getFields().id
      )
        this.tags.add(`${target.name}:${field.id}`);
      this.value(definition.type, field.sets, value[key], inList);
    }
  }

  private value(
    type: GraphQLOutputType,
    sets: readonly SelectionSetNode[],
    value: unknown,
    inList: boolean,
  ): void {
    if (value === null || value === undefined) return;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      if (!Array.isArray(value)) return;
      for (const item of value) this.value(inner.ofType, sets, item, true);
      return;
    }
    if (typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (isObjectType(inner)) return this.object(inner, sets, record, inList);
    if (!isAbstractType(inner)) return;
    // The concrete type comes from __typename; without it, every possible type is walked (a
    // superset of the tags, which only costs hit rate).
    const possible = this.schema.getPossibleTypes(inner);
    const typename = typenameOf(this.fields(possible[0]!, sets), record);
    const concrete = typename ? possible.filter((t) => t.name === typename) : possible;
    for (const candidate of concrete) this.object(candidate, sets, record, inList);
  }
}

function typenameOf(
  fields: Map<string, { name: string }>,
  value: Record<string, unknown>,
): string | undefined {
  for (const [key, field] of fields)
    if (field.name === '__typename' && typeof value[key] === 'string') return value[key];
  return undefined;
}
