import { SubgraphResponseError } from '@shop/subgraph-client';
import { DomainError } from '@shop/subgraph-kit';

/** Refusals a peer may answer about data the customer can act on; anything else is ours to fix. */
const PASSED_ON = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'OUT_OF_STOCK'] as const);
type PassedOn = typeof PASSED_ON extends Set<infer T> ? T : never;

/**
 * Runs a call to a peer subgraph. A refusal it answers with one of the codes above (for example
 * the order service's NOT_FOUND for a product that left the catalog) reaches the client as that
 * refusal, with the peer's message; anything else (unreachable, UNAUTHENTICATED, an internal
 * error) stays an internal error, logged with its cause and masked for the client.
 */
export async function passingOnRefusals<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SubgraphResponseError) {
      const code = error.code;
      const first = error.errors[0];
      if (first && code && PASSED_ON.has(code as PassedOn))
        throw new DomainError(code as PassedOn, first.message);
    }
    throw error;
  }
}
