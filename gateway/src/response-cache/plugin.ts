import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import type { Logger } from '@shop/logging';
import type { GatewayContext } from '../context.ts';
import { fragmentsOf } from '../document-fragments.ts';
import type { ResponseCacheMetrics } from './metrics.ts';
import { ResponseCacheStore, type Lookup } from './store.ts';
import { responseTags } from './tags.ts';

export interface ResponseCacheOptions {
  store: ResponseCacheStore;
  /** The longest an answer is kept, whatever the subgraphs' hints allow: the safety net. */
  maxTtlSeconds: number;
  metrics: ResponseCacheMetrics;
  logger: Logger;
}

/**
 * Answers to public queries from Redis. Only queries without a signed-in caller are cached,
 * and only when every subgraph that answered marked its part cacheable (`@cacheControl` hints
 * reach the gateway as the subgraphs' Cache-Control headers; a part without a hint makes the
 * whole answer uncacheable), for the smallest of their max-ages and `maxTtlSeconds`. Answers
 * with errors are never cached. Events keep the entries true (purge-consumer.ts). A Redis
 * failure is a miss, never a failed request.
 */
export function responseCachePlugin(
  options: ResponseCacheOptions,
): ApolloServerPlugin<GatewayContext> {
  const { store, metrics, logger } = options;
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.identity) return;
      let key: string | undefined;
      let lookup: Lookup | undefined;
      return {
        async responseForOperation(request) {
          if (request.operation.operation !== 'query') return null;
          key = ResponseCacheStore.keyOf(
            request.queryHash ?? '',
            request.operationName ?? null,
            request.request.variables,
          );
          try {
            lookup = await store.lookup(key);
          } catch (error) {
            logger.warn({ err: error }, 'response cache lookup failed');
            key = undefined;
            return null;
          }
          if (!lookup.hit) {
            metrics.lookups.inc({ result: 'miss' });
            return null;
          }
          metrics.lookups.inc({ result: 'hit' });
          const headers = new HeaderMap();
          headers.set(
            'age',
            String(Math.max(0, Math.floor((Date.now() - lookup.hit.storedAt) / 1000))),
          );
          return {
            http: { status: undefined, headers },
            body: { kind: 'single', singleResult: lookup.hit.result },
          };
        },
        async willSendResponse(request) {
          if (!key || !lookup || lookup.hit) return;
          await storeAnswer(request, key, lookup.sequence);
        },
      };
    },
  };

  async function storeAnswer(
    request: GraphQLRequestContext<GatewayContext>,
    key: string,
    sequence: number,
  ): Promise<void> {
    const { response, overallCachePolicy, operation, document, schema } = request;
    if (response.body?.kind !== 'single' || !operation || !document) return;
    const { data, errors } = response.body.singleResult;
    const policy = overallCachePolicy.policyIfCacheable();
    if (errors?.length || !data || !policy || policy.scope !== 'PUBLIC') {
      metrics.stores.inc({ result: 'uncacheable' });
      return;
    }
    const tags = responseTags(
      schema,
      operation,
      fragmentsOf(document),
      data,
      request.request.variables,
    );
    try {
      const stored = await store.store(
        key,
        {
          result: { data },
          storedAt: Date.now(),
          maxAgeSeconds: Math.min(policy.maxAge, options.maxTtlSeconds),
        },
        tags,
        sequence,
      );
      metrics.stores.inc({ result: stored ? 'stored' : 'purged-meanwhile' });
    } catch (error) {
      logger.warn({ err: error }, 'response cache store failed');
    }
  }
}
