import { Counter, type Registry } from 'prom-client';

export interface ResponseCacheMetrics {
  lookups: Counter<'result'>;
  stores: Counter<'result'>;
  purges: Counter<'event'>;
  purgedEntries: Counter;
}

export function createResponseCacheMetrics(registry: Registry): ResponseCacheMetrics {
  return {
    lookups: new Counter({
      name: 'gateway_response_cache_lookups_total',
      help: 'Response cache lookups of anonymous queries, by result (hit, miss)',
      labelNames: ['result'],
      registers: [registry],
    }),
    stores: new Counter({
      name: 'gateway_response_cache_stores_total',
      help: 'Answers after a miss, by what became of them (stored, uncacheable, purged-meanwhile)',
      labelNames: ['result'],
      registers: [registry],
    }),
    purges: new Counter({
      name: 'gateway_response_cache_purges_total',
      help: 'Catalog events that purged the response cache, by event type',
      labelNames: ['event'],
      registers: [registry],
    }),
    purgedEntries: new Counter({
      name: 'gateway_response_cache_purged_entries_total',
      help: 'Cached answers deleted by purges',
      registers: [registry],
    }),
  };
}
