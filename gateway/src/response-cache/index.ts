export { responseCachePlugin, type ResponseCacheOptions } from './plugin.ts';
export { ResponseCacheStore } from './store.ts';
export { responseTags } from './tags.ts';
export { purgeTagsOf, startPurgeConsumer, PURGE_EVENTS } from './purge-consumer.ts';
export { createResponseCacheMetrics, type ResponseCacheMetrics } from './metrics.ts';
export { noStorePlugin } from './no-store-plugin.ts';
