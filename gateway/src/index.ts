export { startGateway } from './gateway.ts';
export { loadGatewayConfig, type GatewayConfig } from './config.ts';
export { composeSubgraphs, composeSupergraph } from './compose.ts';
export { SUBGRAPH_NAMES, DEFAULT_SUBGRAPH_PORTS, type SubgraphName } from './subgraphs.ts';
export { GATEWAY_NODE_OPTIONS } from './node-options.ts';
