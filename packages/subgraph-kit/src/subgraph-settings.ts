import { oneOf, port, secret, str } from '@shop/config';

/** Settings every subgraph reads; each service adds its own (database, search, ...). */
export function subgraphSettings(defaultPort: number) {
  return {
    HOST: str({ default: '127.0.0.1' }),
    PORT: port(defaultPort),
    /** Shared with the gateway; verifies the identity header it forwards. */
    INTERNAL_AUTH_SECRET: secret({ min: 32 }),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
}
