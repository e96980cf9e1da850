import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { context, trace } from '@opentelemetry/api';
import { isSampledContext } from '@shop/tracing';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';
import { compileResponseShape, type ResponseShape } from './response-shape.ts';
import { TypeRelations } from './type-relations.ts';
import { fragmentsOf } from '../document-fragments.ts';

const tracer = trace.getTracer('@shop/gateway');

/** What one operation needs at every request: its plan and its compiled answer shape. */
export interface PreparedOperation {
  plan: QueryPlan;
  shape: ResponseShape;
  operation: OperationDefinitionNode;
}

/** A small least-recently-used map: plans are costly to build and operations few. */
class LruMap<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * One version of the supergraph as the executor uses it: the API schema clients see, the
 * supergraph schema (for `@requires` inputs), the planner, and the operations prepared on it. A
 * request keeps the version it started on, so a reload never changes a plan under its feet.
 */
export class SupergraphRuntime {
  readonly apiSchema: GraphQLSchema;
  readonly api: TypeRelations;
  readonly supergraph: TypeRelations;
  private readonly federationApiSchema: Schema;
  private readonly planner: QueryPlanner;
  /** Each subgraph's routing URL, from the supergraph's own join__graph entries. */
  readonly urls: ReadonlyMap<string, string>;
  private readonly prepared = new LruMap<PreparedOperation>(1000);

  constructor(readonly sdl: string) {
    const supergraph = Supergraph.build(sdl);
    this.urls = new Map([...supergraph.subgraphs().values()].map((s) => [s.name, s.url]));
    this.federationApiSchema = supergraph.apiSchema();
    // With @defer declared: clients may defer, and this is the schema requests validate against.
    this.apiSchema = this.federationApiSchema.toGraphQLJSSchema({ includeDefer: true });
    this.api = new TypeRelations(this.apiSchema);
    this.supergraph = new TypeRelations(supergraph.schema.toGraphQLJSSchema());
    this.planner = new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } });
  }

  /** The plan and shape of a validated operation, built on first use and then reused. */
  prepare(
    key: string,
    document: DocumentNode,
    operationName: string | undefined,
  ): PreparedOperation {
    let prepared = this.prepared.get(key);
    if (!prepared) {
      const operation = graphqlJs.getOperationAST(document, operationName);
      if (!operation) throw new Error('Name the operation to run');
      const build = () =>
        this.planner.buildQueryPlan(
          operationFromDocument(
            this.federationApiSchema,
            document,
            operationName ? { operationName } : {},
          ),
        );
      // A span in a sampled trace only: planning is part of a request, never a trace alone.
      const plan = isSampledContext(context.active())
        ? tracer.startActiveSpan('gateway.plan', (span) => {
            try {
              return build();
            } finally {
              span.end();
            }
          })
        : build();
      prepared = {
        plan,
        shape: compileResponseShape(this.apiSchema, operation, fragmentsOf(document)),
        operation,
      };
      this.prepared.set(key, prepared);
    }
    return prepared;
  }
}
