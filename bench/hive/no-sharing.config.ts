// Hive Gateway with its in-flight request deduplication off (it is on by default): the like for
// like of this gateway with SUBGRAPH_DEDUPLICATION=false.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
});
