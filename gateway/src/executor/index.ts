export { PlanExecutingGateway } from './plan-executing-gateway.ts';
export {
  executePlan,
  mergeInto,
  type SendToSubgraph,
  type SubgraphResponse,
} from './plan-executor.ts';
export { compileResponseShape, projectResponse, type ResponseShape } from './response-shape.ts';
export { subgraphSender } from './subgraph-sender.ts';
export { SupergraphRuntime } from './supergraph-runtime.ts';
export { IncrementalChannel, type SubsequentPayload } from './incremental.ts';
