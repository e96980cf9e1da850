import { bool, loadConfig, oneOf, port, secret, str, url } from '@shop/config';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from './subgraphs.ts';

const subgraphUrlSettings = Object.fromEntries(
  SUBGRAPH_NAMES.map((name) => [
    `${name.toUpperCase()}_URL`,
    url(['http', 'https'], `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`),
  ]),
) as Record<`${Uppercase<SubgraphName>}_URL`, ReturnType<typeof url>>;

export const gatewaySettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4000),
  INTERNAL_AUTH_SECRET: secret({ min: 32 }),
  /** Schema introspection for clients; Sandbox needs it. */
  INTROSPECTION: bool(true),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  /** Where the user service publishes the public keys of access tokens. */
  JWKS_URL: url(
    ['http', 'https'],
    `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS.user}/.well-known/jwks.json`,
  ),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  ...subgraphUrlSettings,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(gatewaySettings, env);

export function subgraphUrls(config: GatewayConfig): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      config[`${name.toUpperCase() as Uppercase<SubgraphName>}_URL`],
    ]),
  ) as Record<SubgraphName, string>;
}
