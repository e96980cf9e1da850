import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Logger } from '@shop/logging';
import type { GatewayContext } from './context.ts';
import { IncrementalChannel, type PlanExecutingGateway } from './executor/index.ts';
import { checkQueryCost, type QueryLimits } from './limits/query-limits-plugin.ts';
import type { SubscriptionServerOptions } from './subscriptions/server.ts';

/**
 * Queries over graphql-ws, for clients that keep one socket (and get @defer's parts there as
 * `next` messages): the same rate limit and cost limit as over HTTP, the same executor.
 */
export function socketQueries(options: {
  gateway: PlanExecutingGateway;
  rateLimit: ((caller: GatewayContext) => Promise<void>) | null;
  limits: QueryLimits;
  logger: Logger;
}): SubscriptionServerOptions['queries'] {
  return {
    admit: async (planned, caller) => {
      await options.rateLimit?.(caller);
      checkQueryCost(
        options.gateway.current().apiSchema,
        planned.document,
        planned.variables,
        planned.operationName,
        options.limits,
      );
    },
    run: async function* (planned, caller): AsyncGenerator<ExecutionResult> {
      const incremental = new IncrementalChannel();
      const first = await options.gateway.run({
        key: createHash('sha256').update(planned.query).digest('hex'),
        document: planned.document,
        operationName: planned.operationName,
        variables: planned.variables,
        context: { ...caller, incremental },
        onError: (error) => options.logger.error({ err: error }, 'deferred delivery failed'),
      });
      if (!incremental.started) {
        yield first;
        return;
      }
      yield { ...first, hasNext: true } as ExecutionResult;
      for await (const payload of incremental) yield payload as ExecutionResult;
    },
  };
}
