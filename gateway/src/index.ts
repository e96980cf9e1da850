export { startGateway } from './gateway.ts';
export { loadGatewayConfig, type GatewayConfig } from './config.ts';
export { composeSupergraph } from './compose.ts';
export { SUBGRAPH_NAMES, DEFAULT_SUBGRAPH_PORTS, type SubgraphName } from './subgraphs.ts';
