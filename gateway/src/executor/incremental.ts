import type { DeferNode, DeferredNode, PlanNode } from '@apollo/query-planner';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { readOwn } from './own-keys.ts';
import { executePlan, type SendToSubgraph } from './plan-executor.ts';
import {
  compileDeferredShape,
  projectDeferred,
  typeAtPath,
  type DeferredShape,
} from './response-shape.ts';
import type { PreparedOperation, SupergraphRuntime } from './supergraph-runtime.ts';

type Entity = Record<string, unknown>;
type Path = (string | number)[];

/** One deferred fragment's data at one place of the answer (GraphQL's incremental delivery). */
export interface IncrementalItem {
  data: Entity | null;
  path: Path;
  label?: string;
  errors?: GraphQLFormattedError[];
}

export interface SubsequentPayload {
  incremental?: IncrementalItem[];
  hasNext: boolean;
}

/**
 * The payloads that follow a request's first answer, from the executor to the transport
 * (multipart HTTP or graphql-ws), in the order they were pushed. `started` says the first
 * answer is incomplete: something follows.
 */
export class IncrementalChannel implements AsyncIterable<SubsequentPayload> {
  started = false;
  private readonly queue: SubsequentPayload[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;

  push(payload: SubsequentPayload): void {
    this.queue.push(payload);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubsequentPayload> {
    for (;;) {
      const next = this.queue.shift();
      if (next) yield next;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
}

/** Compiled once per deferred node: plans (and so their nodes) are cached per operation. */
const deferredShapes = new WeakMap<DeferredNode, DeferredShape | null>();

function fetchIds(node: PlanNode | undefined, into: Set<string>): Set<string> {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch':
      if (node.id) into.add(node.id);
      break;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) fetchIds(child, into);
      break;
    case 'Flatten':
      fetchIds(node.node, into);
      break;
    case 'Condition':
      fetchIds(node.ifClause, into);
      fetchIds(node.elseClause, into);
      break;
    case 'Defer':
      fetchIds(node.primary.node, into);
      for (const deferred of node.deferred) fetchIds(deferred.node, into);
      break;
  }
  return into;
}

export interface DeferredDelivery {
  runtime: SupergraphRuntime;
  prepared: PreparedOperation;
  variables: Record<string, unknown>;
  send: SendToSubgraph;
  channel: IncrementalChannel;
  /** The answer merged so far; deferred fetches merge into it as the primary ones did. */
  root: Entity;
  /** As the first answer's errors are formatted (masked) for clients. */
  formatError: (error: GraphQLError) => GraphQLFormattedError;
}

/** The objects at a deferred part's query path, with their concrete paths (indices filled in). */
function positions(
  delivery: DeferredDelivery,
  queryPath: readonly string[],
): { entity: Entity; path: Path }[] {
  let current: { value: unknown; path: Path }[] = [{ value: delivery.root, path: [] }];
  for (const element of queryPath) {
    const next: { value: unknown; path: Path }[] = [];
    const expand = (value: unknown, path: Path) => {
      if (Array.isArray(value)) value.forEach((item, index) => expand(item, [...path, index]));
      else if (value !== null && value !== undefined) next.push({ value, path });
    };
    for (const { value, path } of current) {
      if (typeof value !== 'object' || value === null) continue;
      const entity = value as Entity;
      if (element.startsWith('... on ')) {
        const typename = entity.__typename;
        const condition = element.slice('... on '.length);
        if (typeof typename !== 'string' || delivery.runtime.api.satisfies(typename, condition))
          next.push({ value, path });
      } else expand(readOwn(entity, element), [...path, element]);
    }
    current = next;
  }
  return current
    .filter((p) => typeof p.value === 'object' && !Array.isArray(p.value))
    .map((p) => ({ entity: p.value as Entity, path: p.path }));
}

function itemsOf(
  deferred: DeferredNode,
  delivery: DeferredDelivery,
  errors: GraphQLError[],
): IncrementalItem[] {
  let shape = deferredShapes.get(deferred);
  if (shape === undefined) {
    // A part that holds deferred parts of its own is planned as a Defer node: its selection is
    // that node's primary one.
    const subselection =
      deferred.subselection ??
      (deferred.node?.kind === 'Defer' ? deferred.node.primary.subselection : undefined);
    shape = subselection
      ? compileDeferredShape(
          delivery.runtime.apiSchema,
          delivery.prepared.operation,
          subselection,
          typeAtPath(delivery.prepared.shape, deferred.queryPath),
          delivery.prepared.shape.defaults,
        )
      : null;
    deferredShapes.set(deferred, shape);
  }
  if (!shape) return [];
  const label = deferred.label ? { label: deferred.label } : {};
  const items: IncrementalItem[] = positions(delivery, deferred.queryPath).map(
    ({ entity, path }) => {
      const typename = entity.__typename;
      const type =
        typeof typename === 'string' && delivery.runtime.api.isComposite(typename)
          ? typename
          : shape.typeName;
      const { data } = projectDeferred(shape, entity, type, path, {
        relations: delivery.runtime.api,
        variables: delivery.variables,
      });
      return { data, path, ...label };
    },
  );
  // The fetch errors of this part travel with its first item (each carries its own path).
  if (errors.length) {
    const formatted = errors.map(delivery.formatError);
    if (items[0]) items[0].errors = formatted;
    else
      items.push({
        data: null,
        path: deferred.queryPath.filter((p) => !p.startsWith('... on ')),
        ...label,
        errors: formatted,
      });
  }
  return items;
}

async function runDeferred(
  deferred: DeferredNode,
  delivery: DeferredDelivery,
  parentSent: Promise<void>,
): Promise<void> {
  const errors: GraphQLError[] = [];
  const nested: DeferNode[] = [];
  if (deferred.node)
    await executePlan(deferred.node, delivery.root, {
      supergraph: delivery.runtime.supergraph,
      variables: delivery.variables,
      defaults: delivery.prepared.shape.defaults,
      send: delivery.send,
      errors,
      deferred: nested,
    });
  const items = itemsOf(deferred, delivery, errors);
  // A part nested in another is sent after the part that holds it.
  await parentSent;
  if (items.length) delivery.channel.push({ incremental: items, hasNext: true });
  await Promise.all(nested.map((node) => runDefer(node, delivery, Promise.resolve())));
}

/** The deferred parts of one Defer node, each once the parts it depends on are done. */
async function runDefer(node: DeferNode, delivery: DeferredDelivery, sent: Promise<void>) {
  const done = new Map<string, Promise<void>>();
  const runs: Promise<void>[] = [];
  for (const deferred of node.deferred) {
    const before = deferred.depends
      .map((dependency) => done.get(dependency.id))
      .filter((p): p is Promise<void> => p !== undefined);
    const run = Promise.all(before).then(() => runDeferred(deferred, delivery, sent));
    for (const id of fetchIds(deferred.node, new Set())) done.set(id, run);
    runs.push(run);
  }
  await Promise.all(runs);
}

/**
 * Runs the deferred parts the primary execution left (`PlanExecution.deferred`) and pushes a
 * payload as each completes; the last payload says nothing follows. Never throws: a failure
 * ends the stream after logging.
 */
export async function deliverDeferred(
  defers: readonly DeferNode[],
  delivery: DeferredDelivery,
  onError: (error: unknown) => void,
): Promise<void> {
  try {
    await Promise.all(defers.map((node) => runDefer(node, delivery, Promise.resolve())));
  } catch (error) {
    onError(error);
  } finally {
    delivery.channel.push({ hasNext: false });
    delivery.channel.end();
  }
}
