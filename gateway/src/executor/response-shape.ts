import type {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { withoutStackTrace } from '@shop/subgraph-kit/stack-traces';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';
import { isPrototypeName, readOwn } from './own-keys.ts';
import type { TypeRelations } from './type-relations.ts';

const {
  GraphQLError: GraphQLErrorClass,
  Kind,
  OperationTypeNode,
  executeSync,
  getNamedType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} = graphqlJs;

/**
 * The client's selection compiled once per operation: what the answer must hold, in the order
 * the spec wants, with the types needed to complete it. Plan execution fetches more than that
 * (keys, `@requires` inputs, `__typename`) into one merged tree; projecting that tree through the
 * shape is the only pass over it, with no graphql-js execution.
 */
export interface ResponseShape {
  rootType: string;
  steps: readonly Step[];
  /** `@skip`/`@include` variables' defaults, for requests that leave them out. */
  defaults: ReadonlyMap<string, unknown>;
}

type Flag = boolean | { variable: string };
interface Conditions {
  skip?: Flag;
  include?: Flag;
}

type Step = FieldStep | TypenameStep | IntrospectionStep | FragmentStep;

interface FieldStep {
  kind: 'field';
  responseName: string;
  /** The name reads an Object.prototype member unless read as an own property. */
  guarded: boolean;
  fieldName: string;
  value: ValueShape;
  conditions?: Conditions;
}
interface TypenameStep {
  kind: 'typename';
  responseName: string;
  conditions?: Conditions;
}
interface IntrospectionStep {
  kind: 'introspection';
  responseName: string;
  document: DocumentNode;
  conditions?: Conditions;
}
interface FragmentStep {
  kind: 'fragment';
  typeCondition?: string;
  steps: readonly Step[];
  conditions?: Conditions;
  /** `@defer`: left out of the payload that holds this fragment when delivery is incremental. */
  defer?: { if?: Flag };
}

type ValueShape =
  | { kind: 'nonNull'; of: ValueShape }
  | { kind: 'list'; of: ValueShape }
  | { kind: 'leaf'; accepts: (value: unknown) => boolean }
  | { kind: 'composite'; typeName: string; steps: readonly Step[] };

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const LEAF_CHECKS: Record<string, (value: unknown) => boolean> = {
  Int: (value) => typeof value === 'number' && INTEGER.test(String(value)),
  Float: (value) => typeof value === 'number' && Number.isFinite(value),
  String: (value) => typeof value === 'string',
  Boolean: (value) => typeof value === 'boolean',
  ID: (value) =>
    typeof value === 'string' || (typeof value === 'number' && INTEGER.test(String(value))),
};
const anyValue = () => true;

function flagOf(directive: DirectiveNode | undefined): Flag | undefined {
  const argument = directive?.arguments?.find((a) => a.name.value === 'if');
  if (!argument) return undefined;
  if (argument.value.kind === Kind.VARIABLE) return { variable: argument.value.name.value };
  return argument.value.kind === Kind.BOOLEAN ? argument.value.value : undefined;
}

function deferOf(directives: readonly DirectiveNode[] | undefined): FragmentStep['defer'] {
  const directive = directives?.find((d) => d.name.value === 'defer');
  if (!directive) return undefined;
  const condition = flagOf(directive);
  return condition === undefined ? {} : { if: condition };
}

function conditionsOf(directives: readonly DirectiveNode[] | undefined): Conditions | undefined {
  if (!directives?.length) return undefined;
  const skip = flagOf(directives.find((d) => d.name.value === 'skip'));
  const include = flagOf(directives.find((d) => d.name.value === 'include'));
  if (skip === undefined && include === undefined) return undefined;
  return { ...(skip !== undefined ? { skip } : {}), ...(include !== undefined ? { include } : {}) };
}

class ShapeCompiler {
  private readonly fragmentSteps = new Map<string, readonly Step[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly operation: OperationDefinitionNode,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  selectionSet(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): Step[] {
    const steps: Step[] = [];
    for (const selection of selectionSet.selections) {
      const conditions = conditionsOf(selection.directives);
      const extra = conditions ? { conditions } : {};
      if (selection.kind === Kind.FIELD) {
        const responseName = selection.alias?.value ?? selection.name.value;
        const fieldName = selection.name.value;
        if (fieldName === '__typename') steps.push({ kind: 'typename', responseName, ...extra });
        else if (fieldName === '__schema' || fieldName === '__type')
          steps.push({
            kind: 'introspection',
            responseName,
            document: this.introspectionDocument(selection),
            ...extra,
          });
        else {
          const field =
            isObjectType(parent) || isInterfaceType(parent)
              ? parent.getFields()[fieldName]
              : undefined;
          if (!field) throw new Error(`${parent.name}.${fieldName} is not in the schema`);
          steps.push({
            kind: 'field',
            responseName,
            guarded: isPrototypeName(responseName),
            fieldName,
            value: this.value(field.type, selection.selectionSet),
            ...extra,
          });
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        const type = condition ? this.compositeType(condition) : parent;
        const defer = deferOf(selection.directives);
        steps.push({
          kind: 'fragment',
          ...(condition ? { typeCondition: condition } : {}),
          steps: this.selectionSet(selection.selectionSet, type),
          ...extra,
          ...(defer ? { defer } : {}),
        });
      } else {
        const fragment = this.fragments[selection.name.value];
        if (!fragment) throw new Error(`Unknown fragment ${selection.name.value}`);
        const condition = fragment.typeCondition.name.value;
        const defer = deferOf(selection.directives);
        steps.push({
          kind: 'fragment',
          typeCondition: condition,
          steps: this.fragment(fragment),
          ...extra,
          ...(defer ? { defer } : {}),
        });
      }
    }
    return steps;
  }

  private fragment(fragment: FragmentDefinitionNode): readonly Step[] {
    let steps = this.fragmentSteps.get(fragment.name.value);
    if (!steps) {
      steps = this.selectionSet(
        fragment.selectionSet,
        this.compositeType(fragment.typeCondition.name.value),
      );
      this.fragmentSteps.set(fragment.name.value, steps);
    }
    return steps;
  }

  private compositeType(name: string): GraphQLCompositeType {
    const type = this.schema.getType(name);
    if (!type || !graphqlJs.isCompositeType(type))
      throw new Error(`${name} is not a composite type`);
    return type;
  }

  private value(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): ValueShape {
    if (isNonNullType(type)) return { kind: 'nonNull', of: this.value(type.ofType, selectionSet) };
    if (isListType(type)) return { kind: 'list', of: this.value(type.ofType, selectionSet) };
    const named = getNamedType(type);
    if (graphqlJs.isCompositeType(named)) {
      if (!selectionSet) throw new Error(`${named.name} needs a selection`);
      return {
        kind: 'composite',
        typeName: named.name,
        steps: this.selectionSet(selectionSet, named),
      };
    }
    if (isEnumType(named)) {
      const values = new Set(named.getValues().map((v) => v.name));
      return { kind: 'leaf', accepts: (value) => typeof value === 'string' && values.has(value) };
    }
    return { kind: 'leaf', accepts: LEAF_CHECKS[named.name] ?? anyValue };
  }

  /** `__schema` and `__type` are answered by the gateway itself, from the API schema. */
  private introspectionDocument(field: FieldNode): DocumentNode {
    return {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: OperationTypeNode.QUERY,
          variableDefinitions: this.operation.variableDefinitions ?? [],
          selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
        },
        ...Object.values(this.fragments),
      ],
    };
  }
}

/** Compiles the selection of `operation` (already validated against `schema`, the API schema). */
export function compileResponseShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): ResponseShape {
  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) throw new Error(`The schema has no ${operation.operation} type`);
  const defaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    const value = definition.defaultValue;
    if (value?.kind === Kind.BOOLEAN) defaults.set(definition.variable.name.value, value.value);
  }
  const compiler = new ShapeCompiler(schema, operation, fragments);
  return {
    rootType: root.name,
    steps: compiler.selectionSet(operation.selectionSet, root),
    defaults,
  };
}

interface Projection {
  relations: TypeRelations;
  /** Incremental delivery: deferred fragments are left for their own payloads. */
  incremental: boolean;
  variables: Record<string, unknown>;
  defaults: ReadonlyMap<string, unknown>;
  errors: GraphQLError[];
  introspect: (document: DocumentNode) => unknown;
  /** Set by complete(): the value is a null in a non-null position (bubble it up). */
  invalid: boolean;
  /** Set by complete(): an error was already recorded under this value. */
  hasErrors: boolean;
}

type Path = (string | number)[];
/** Outputs are created without a prototype: any response name, `__proto__` too, is plain data. */
type Entity = Record<string, unknown>;

function flagValue(flag: Flag, projection: Projection): boolean {
  if (typeof flag === 'boolean') return flag;
  const value = projection.variables[flag.variable];
  return (value === undefined ? projection.defaults.get(flag.variable) : value) === true;
}

function skipped(conditions: Conditions | undefined, projection: Projection): boolean {
  if (!conditions) return false;
  if (conditions.skip !== undefined && flagValue(conditions.skip, projection)) return true;
  return conditions.include !== undefined && !flagValue(conditions.include, projection);
}

/** A value the response shape refuses (no stack trace: it is the subgraph's value at fault). */
function completionError(message: string, path: Path): GraphQLError {
  return withoutStackTrace(
    () =>
      new GraphQLErrorClass(message, {
        path: [...path],
        extensions: { code: 'INVALID_GRAPHQL' },
      }),
  );
}

/** Records a value the subgraph sent that its type does not allow, and nulls it. */
function invalidValue(projection: Projection, message: string, path: Path): null {
  projection.errors.push(completionError(message, path));
  projection.hasErrors = true;
  return null;
}

function describeLast(path: Path, parentType: string): string {
  const last = path[path.length - 1];
  return typeof last === 'string'
    ? `field ${parentType}.${last}`
    : `array element at index ${last}`;
}

/** Applies `steps` to one object; true when a non-null violation nulls the whole object. */
function applySteps(
  input: Entity,
  steps: readonly Step[],
  output: Entity,
  parentType: string,
  path: Path,
  projection: Projection,
): boolean {
  for (const step of steps) {
    if (step.conditions && skipped(step.conditions, projection)) continue;
    switch (step.kind) {
      case 'field': {
        const previous = output[step.responseName];
        const raw = step.guarded ? readOwn(input, step.responseName) : input[step.responseName];
        path.push(step.responseName);
        const value = complete(previous, step.value, raw ?? null, parentType, path, projection);
        path.pop();
        output[step.responseName] = value;
        if (projection.invalid) return true;
        break;
      }
      case 'typename': {
        if (output[step.responseName] !== undefined) break;
        let typename = readOwn(input, step.responseName) ?? null;
        if (typename === null && step.responseName !== '__typename')
          typename = input.__typename ?? null;
        // A subgraph may name a root type its own way, or an @interfaceObject by its interface:
        // only an object type of the API schema is an answer; otherwise the parent, if it is one.
        const name =
          typeof typename === 'string' && projection.relations.schema.getType(typename)
            ? typename
            : parentType;
        if (!projection.relations.isObject(name)) return true;
        output[step.responseName] = name;
        break;
      }
      case 'introspection':
        if (output[step.responseName] === undefined)
          output[step.responseName] = projection.introspect(step.document);
        break;
      case 'fragment': {
        if (
          projection.incremental &&
          step.defer &&
          (step.defer.if === undefined || flagValue(step.defer.if, projection))
        )
          break;
        if (step.typeCondition) {
          const typename = input.__typename;
          const applies =
            typeof typename === 'string'
              ? !!projection.relations.schema.getType(typename) &&
                projection.relations.satisfies(typename, step.typeCondition)
              : projection.relations.satisfies(parentType, step.typeCondition);
          if (!applies) break;
        }
        const type = step.typeCondition ?? parentType;
        if (applySteps(input, step.steps, output, type, path, projection)) return true;
        break;
      }
    }
  }
  return false;
}

/**
 * The value of one position: `previous` is what an earlier selection of the same response name
 * produced (fields selected twice merge), `input` the merged subgraph data (never undefined).
 */
function complete(
  previous: unknown,
  shape: ValueShape,
  input: unknown,
  parentType: string,
  path: Path,
  projection: Projection,
): unknown {
  projection.invalid = false;
  projection.hasErrors = false;
  if (previous === null || (previous !== undefined && shape.kind === 'leaf')) return previous;
  switch (shape.kind) {
    case 'nonNull': {
      const value = complete(previous, shape.of, input, parentType, path, projection);
      if (value === null) {
        if (!projection.hasErrors)
          projection.errors.push(
            completionError(
              `Cannot return null for non-nullable ${describeLast(path, parentType)}.`,
              path,
            ),
          );
        projection.invalid = true;
        projection.hasErrors = true;
        return null;
      }
      projection.invalid = false;
      projection.hasErrors = false;
      return value;
    }
    case 'leaf': {
      if (input === null) return null;
      if (shape.accepts(input)) return input;
      return invalidValue(
        projection,
        `Invalid value found for ${describeLast(path, parentType)}.`,
        path,
      );
    }
    case 'list': {
      if (input === null) return null;
      if (!Array.isArray(input) || (previous !== undefined && !Array.isArray(previous))) {
        return invalidValue(
          projection,
          `Invalid non-list value found for ${describeLast(path, parentType)}.`,
          path,
        );
      }
      const list = (previous as unknown[] | undefined) ?? new Array<unknown>(input.length);
      let nullify = false;
      let hasErrors = false;
      for (let index = 0; index < input.length; index++) {
        path.push(index);
        list[index] = complete(
          list[index],
          shape.of,
          input[index] ?? null,
          parentType,
          path,
          projection,
        );
        path.pop();
        nullify ||= projection.invalid;
        hasErrors ||= projection.hasErrors;
      }
      projection.invalid = false;
      projection.hasErrors = hasErrors;
      return nullify ? null : list;
    }
    case 'composite': {
      if (input === null) return null;
      if (typeof input !== 'object' || Array.isArray(input)) {
        return invalidValue(
          projection,
          `Invalid non-object value found for ${describeLast(path, parentType)}.`,
          path,
        );
      }
      const entity = input as Entity;
      let type = shape.typeName;
      const typename = entity.__typename;
      if (typename !== undefined) {
        // An inaccessible implementation's name is not in the API schema: never shown, nulled.
        if (typeof typename !== 'string' || !projection.relations.isComposite(typename)) {
          return invalidValue(
            projection,
            `Invalid __typename found for object at ${describeLast(path, parentType)}.`,
            path,
          );
        }
        type = typename;
      }
      const output = (previous as Entity | undefined) ?? (Object.create(null) as Entity);
      const bubbled = applySteps(entity, shape.steps, output, type, path, projection);
      projection.invalid = false;
      projection.hasErrors = bubbled;
      return bubbled ? null : output;
    }
  }
}

export interface ProjectionOptions {
  /** The API schema's type relations (its schema also answers introspection). */
  relations: TypeRelations;
  variables: Record<string, unknown>;
  /** Leave deferred fragments out (they travel in payloads of their own). */
  incremental?: boolean;
}

function newProjection(
  defaults: ReadonlyMap<string, unknown>,
  options: ProjectionOptions,
): Projection {
  return {
    relations: options.relations,
    incremental: options.incremental ?? false,
    variables: options.variables,
    defaults,
    errors: [],
    introspect: (document) => {
      const result = executeSync({
        schema: options.relations.schema,
        document,
        variableValues: options.variables,
      });
      const data = result.data ?? {};
      return Object.values(data)[0] ?? null;
    },
    invalid: false,
    hasErrors: false,
  };
}

/**
 * The client's answer from the merged data: only what was selected, in selection order, with
 * non-null violations nulled up to the nearest nullable position (each reported once).
 */
export function projectResponse(
  shape: ResponseShape,
  input: Entity,
  options: ProjectionOptions,
): { data: Entity | null; errors: GraphQLError[] } {
  const projection = newProjection(shape.defaults, options);
  const data = Object.create(null) as Entity;
  const bubbled = applySteps(input, shape.steps, data, shape.rootType, [], projection);
  return { data: bubbled ? null : data, errors: projection.errors };
}

/** A deferred fragment's selection, compiled against the type where it applies. */
export interface DeferredShape {
  typeName: string;
  steps: readonly Step[];
  defaults: ReadonlyMap<string, unknown>;
}

/**
 * Compiles the planner's text of a deferred part (`{ reviews(first: $n) { ... } }`, fragments
 * already expanded) as a selection on `typeName`.
 */
export function compileDeferredShape(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  subselection: string,
  typeName: string,
  defaults: ReadonlyMap<string, unknown>,
): DeferredShape {
  const parsed = graphqlJs.parse(subselection);
  const definition = parsed.definitions[0];
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error('Not a selection');
  const type = schema.getType(typeName);
  if (!type || !graphqlJs.isCompositeType(type)) throw new Error(`${typeName} is not composite`);
  const steps = new ShapeCompiler(schema, operation, {}).selectionSet(
    definition.selectionSet,
    type,
  );
  return { typeName, steps, defaults };
}

/** One object's part of a deferred payload: the deferred selection applied at `path`. */
export function projectDeferred(
  shape: DeferredShape,
  input: Entity,
  typeName: string,
  path: (string | number)[],
  options: ProjectionOptions,
): { data: Entity | null; errors: GraphQLError[] } {
  const projection = newProjection(shape.defaults, { ...options, incremental: true });
  const data = Object.create(null) as Entity;
  const bubbled = applySteps(input, shape.steps, data, typeName, [...path], projection);
  return { data: bubbled ? null : data, errors: projection.errors };
}

function findField(steps: readonly Step[], name: string): FieldStep | undefined {
  for (const step of steps) {
    if (step.kind === 'field' && (step.responseName === name || step.fieldName === name))
      return step;
    if (step.kind === 'fragment') {
      const found = findField(step.steps, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The type at a deferred part's query path (`["product"]`, `["items", "... on Book"]`). */
export function typeAtPath(shape: ResponseShape, queryPath: readonly string[]): string {
  let type = shape.rootType;
  let steps = shape.steps;
  for (const element of queryPath) {
    if (element.startsWith('... on ')) {
      type = element.slice('... on '.length);
      continue;
    }
    const field = findField(steps, element);
    let value = field?.value;
    while (value && (value.kind === 'nonNull' || value.kind === 'list')) value = value.of;
    if (value?.kind !== 'composite') throw new Error(`No object at ${queryPath.join('.')}`);
    type = value.typeName;
    steps = value.steps;
  }
  return type;
}
