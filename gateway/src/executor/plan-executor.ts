import type {
  DeferNode,
  FetchDataRewrite,
  FetchNode,
  PlanNode,
  QueryPlanSelectionNode,
  ResponsePath,
} from '@apollo/query-planner';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { context, trace } from '@opentelemetry/api';
import { inSampledSpan } from '@shop/tracing';
import { withoutStackTrace } from '@shop/subgraph-kit/stack-traces';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';
import { readOwn, writeOwn } from './own-keys.ts';
import type { TypeRelations } from './type-relations.ts';

const { GraphQLError: GraphQLErrorClass } = graphqlJs;
const tracer = trace.getTracer('@shop/gateway');

type Entity = Record<string, unknown>;

export interface SubgraphRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

export interface SubgraphResponse {
  data?: Entity | null;
  errors?: readonly GraphQLFormattedError[];
}

/** One call to one subgraph; the caller's identity and cache policy are the sender's business. */
export type SendToSubgraph = (
  serviceName: string,
  request: SubgraphRequest,
) => Promise<SubgraphResponse>;

export interface PlanExecution {
  /** Type relations of the supergraph schema (`@requires` inputs may name inaccessible types). */
  supergraph: TypeRelations;
  /** The client's variables, as sent: subgraphs coerce them again. */
  variables: Record<string, unknown>;
  /** Defaults of the operation's Boolean variables, for Condition nodes. */
  defaults: ReadonlyMap<string, unknown>;
  send: SendToSubgraph;
  errors: GraphQLError[];
  /**
   * Incremental delivery: a Defer node runs its primary part and leaves its deferred parts here
   * (see incremental.ts). Without it, deferred parts run in place and the answer is whole.
   */
  deferred?: DeferNode[];
}

/** Where a plan node works: a path in the answer and the objects found there (nulls left out). */
interface Cursor {
  path: ResponsePath;
  entities: Entity[];
  root: Entity;
}

const isEntity = (value: unknown): value is Entity =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects the objects at `path` under `value` (`@` walks a list), with their concrete paths. */
function collect(
  value: unknown,
  path: ResponsePath,
  at: number,
  into: Entity[],
  paths?: { current: ResponsePath; all: ResponsePath[] },
): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // `@` steps into the list; a field name over a list (a list of lists' inner level) walks it too.
    const next = path[at] === '@' ? at + 1 : at;
    for (let index = 0; index < value.length; index++) {
      paths?.current.push(index);
      collect(value[index], path, next, into, paths);
      paths?.current.pop();
    }
    return;
  }
  if (!isEntity(value)) return;
  if (at === path.length) {
    into.push(value);
    paths?.all.push([...paths.current]);
    return;
  }
  const key = path[at];
  if (key === '@') return;
  paths?.current.push(key!);
  collect(readOwn(value, String(key)), path, at + 1, into, paths);
  paths?.current.pop();
}

function moveInto(cursor: Cursor, path: ResponsePath): Cursor {
  const entities: Entity[] = [];
  for (const entity of cursor.entities) collect(entity, path, 0, entities);
  return { path: [...cursor.path, ...path], entities, root: cursor.root };
}

/** Merges a subgraph's answer into what earlier fetches put at the same place. */
export function mergeInto(target: Entity, source: Entity): void {
  for (const key in source) {
    const incoming = source[key];
    if (incoming === undefined) continue;
    const existing = readOwn(target, key);
    if (existing === incoming) continue;
    if (isEntity(incoming) && isEntity(existing)) mergeInto(existing, incoming);
    else if (
      Array.isArray(incoming) &&
      Array.isArray(existing) &&
      incoming.length === existing.length
    ) {
      for (let index = 0; index < incoming.length; index++) {
        const from = incoming[index];
        const to = existing[index];
        if (isEntity(from) && isEntity(to)) mergeInto(to, from);
        else existing[index] = from;
      }
    } else writeOwn(target, key, incoming);
  }
}

/** The inputs a fetch needs from one entity (its `requires`), or null when one is missing. */
function representationOf(
  source: Entity,
  selections: readonly QueryPlanSelectionNode[],
  relations: TypeRelations,
): Entity | null {
  const result: Entity = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = readOwn(source, name);
      // A missing input was lost to an error already reported: this entity is left out.
      if (value === undefined) return null;
      const sub = selection.selections;
      if (!sub || value === null) writeOwn(result, name, value);
      else if (Array.isArray(value))
        writeOwn(
          result,
          name,
          value.map((item) => (isEntity(item) ? representationOf(item, sub, relations) : item)),
        );
      else if (isEntity(value)) writeOwn(result, name, representationOf(value, sub, relations));
      else writeOwn(result, name, value);
    } else if (selection.typeCondition) {
      const typename = source.__typename;
      if (typeof typename === 'string' && relations.satisfies(typename, selection.typeCondition)) {
        const part = representationOf(source, selection.selections, relations);
        if (part) mergeInto(result, part);
      }
    }
  }
  return result;
}

const FRAGMENT_PREFIX = '... on ';

/** The planner's rewrites (@interfaceObject's typenames, renamed keys), applied in place. */
function applyRewrites(
  rewrites: readonly FetchDataRewrite[] | undefined,
  value: unknown,
  relations: TypeRelations,
): void {
  if (!rewrites) return;
  for (const rewrite of rewrites) {
    const last = rewrite.path[rewrite.path.length - 1];
    if (last === undefined) continue;
    applyAt(rewrite.path, 0, value, relations, (object) => {
      if (rewrite.kind === 'ValueSetter') writeOwn(object, last, rewrite.setValueTo);
      else {
        const moved = readOwn(object, last);
        if (moved) {
          writeOwn(object, rewrite.renameKeyTo, moved);
          writeOwn(object, last, undefined);
        }
      }
    });
  }
}

function applyAt(
  path: readonly string[],
  at: number,
  value: unknown,
  relations: TypeRelations,
  apply: (object: Entity) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) applyAt(path, at, item, relations, apply);
    return;
  }
  if (!isEntity(value)) return;
  if (at === path.length - 1) {
    apply(value);
    return;
  }
  const element = path[at]!;
  if (element.startsWith(FRAGMENT_PREFIX)) {
    const typename = value.__typename;
    // An object without a __typename is taken to match, as Apollo's executor does.
    if (
      typeof typename !== 'string' ||
      relations.satisfies(typename, element.slice(FRAGMENT_PREFIX.length))
    )
      applyAt(path, at + 1, value, relations, apply);
  } else applyAt(path, at + 1, readOwn(value, element), relations, apply);
}

/**
 * A subgraph's error, placed at its path in the client's answer and labelled with its source.
 * Built without a stack trace: the gateway's own stack says nothing about it (stack-traces.ts).
 */
function downstreamError(
  error: GraphQLFormattedError,
  serviceName: string,
  path: ResponsePath | undefined,
): GraphQLError {
  const extensions = error.extensions ?? {};
  return withoutStackTrace(
    () =>
      new GraphQLErrorClass(
        error.message || `Error while fetching subquery from service "${serviceName}"`,
        {
          ...(path ? { path } : {}),
          extensions: {
            ...extensions,
            code:
              typeof extensions.code === 'string' ? extensions.code : 'DOWNSTREAM_SERVICE_ERROR',
            serviceName,
          },
        },
      ),
  );
}

function fetchFailure(error: unknown, serviceName: string): GraphQLError {
  if (error instanceof GraphQLErrorClass) {
    return new GraphQLErrorClass(error.message, {
      originalError: error,
      extensions: { ...error.extensions, serviceName },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphQLErrorClass(message, {
    ...(error instanceof Error ? { originalError: error } : {}),
    extensions: { serviceName },
  });
}

function variablesFor(
  fetch: FetchNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of fetch.variableUsages ?? [])
    if (Object.hasOwn(variables, name) && variables[name] !== undefined)
      picked[name] = variables[name];
  return picked;
}

async function executeFetch(
  fetch: FetchNode,
  cursor: Cursor,
  execution: PlanExecution,
): Promise<void> {
  const { entities } = cursor;
  if (entities.length === 0) return;
  const variables = variablesFor(fetch, execution.variables);
  // A child of the execution's span when its trace is sampled; never a trace of its own.
  const send = (vars: Record<string, unknown>) =>
    inSampledSpan(
      tracer,
      'gateway.fetch',
      { attributes: { service: fetch.serviceName } },
      () =>
        execution.send(fetch.serviceName, {
          query: fetch.operation,
          operationName: fetch.operationName,
          variables: vars,
        }),
      context.active(),
    );

  if (!fetch.requires) {
    const response = await send(variables);
    for (const error of response.errors ?? [])
      execution.errors.push(
        downstreamError(
          error,
          fetch.serviceName,
          error.path ? [...cursor.path, ...error.path] : undefined,
        ),
      );
    const data = response.data;
    if (!isEntity(data)) return;
    applyRewrites(fetch.outputRewrites, data, execution.supergraph);
    for (const entity of entities) mergeInto(entity, data);
    return;
  }

  // Equal representations are sent once: a list of reviews naming the same product a hundred
  // times asks the products subgraph for it once, and the answer is merged into each.
  const representations: Entity[] = [];
  const indexOf = new Map<string, number>();
  const entityRepresentation = new Int32Array(entities.length).fill(-1);
  for (let index = 0; index < entities.length; index++) {
    const representation = representationOf(entities[index]!, fetch.requires, execution.supergraph);
    if (!representation || !representation.__typename) continue;
    applyRewrites(fetch.inputRewrites, representation, execution.supergraph);
    const key = JSON.stringify(representation);
    let at = indexOf.get(key);
    if (at === undefined) {
      at = representations.push(representation) - 1;
      indexOf.set(key, at);
    }
    entityRepresentation[index] = at;
  }
  if (representations.length === 0) return;
  if ('representations' in variables)
    throw new Error('Variables cannot contain key "representations"');
  const response = await send({ ...variables, representations });

  if (response.errors?.length) {
    let concretePaths: ResponsePath[] | undefined;
    const pathOf = (
      errorPath: readonly (string | number)[] | undefined,
    ): ResponsePath | undefined => {
      if (!errorPath) return undefined;
      const at = errorPath[1];
      if (errorPath[0] !== '_entities' || typeof at !== 'number')
        return [...cursor.path, ...errorPath];
      if (!concretePaths) {
        concretePaths = [];
        collect(cursor.root, cursor.path, 0, [], { current: [], all: concretePaths });
      }
      const entity = entityRepresentation.indexOf(at);
      return [...(concretePaths[entity] ?? []), ...errorPath.slice(2)];
    };
    for (const error of response.errors)
      execution.errors.push(downstreamError(error, fetch.serviceName, pathOf(error.path)));
  }
  const data = response.data;
  if (data === null || data === undefined) return;
  const received = data._entities;
  if (!Array.isArray(received))
    throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== representations.length)
    throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  // An answer without __typename leaves each entity its own: a representation's typename may
  // be rewritten (an @interfaceObject's interface name) and is not the entity's.
  for (const entity of received)
    if (isEntity(entity)) applyRewrites(fetch.outputRewrites, entity, execution.supergraph);
  for (let index = 0; index < entities.length; index++) {
    const at = entityRepresentation[index]!;
    if (at < 0) continue;
    const entity = received[at];
    if (isEntity(entity)) mergeInto(entities[index]!, entity);
  }
}

function conditionHolds(variable: string, execution: PlanExecution): boolean {
  const value = execution.variables[variable];
  return (value === undefined ? execution.defaults.get(variable) : value) === true;
}

async function executeNode(
  node: PlanNode,
  cursor: Cursor,
  execution: PlanExecution,
): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(child, cursor, execution);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(child, cursor, execution)));
      return;
    case 'Flatten':
      await executeNode(node.node, moveInto(cursor, node.path), execution);
      return;
    case 'Fetch':
      try {
        await executeFetch(node, cursor, execution);
      } catch (error) {
        execution.errors.push(fetchFailure(error, node.serviceName));
      }
      return;
    case 'Condition': {
      const branch = conditionHolds(node.condition, execution) ? node.ifClause : node.elseClause;
      if (branch) await executeNode(branch, cursor, execution);
      return;
    }
    case 'Defer':
      if (node.primary.node) await executeNode(node.primary.node, cursor, execution);
      if (execution.deferred) {
        execution.deferred.push(node);
        return;
      }
      // Without incremental delivery the deferred parts are simply part of the answer, each
      // after the ones it depends on (the planner lists them in that order).
      for (const deferred of node.deferred)
        if (deferred.node) await executeNode(deferred.node, cursor, execution);
      return;
  }
}

/** Runs a plan's node against `root` (the answer so far: empty, or a subscription's event). */
export async function executePlan(
  node: PlanNode,
  root: Entity,
  execution: PlanExecution,
): Promise<void> {
  await executeNode(node, { path: [], entities: [root], root }, execution);
}
