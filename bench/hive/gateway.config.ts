// Hive Gateway's configuration for the benchmark: its defaults, plus passing the identity header
// through (it does not verify our JWTs; the benchmark client sends the signed identity directly).
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      'x-shop-identity': request.headers.get('x-shop-identity'),
    }),
  },
});
