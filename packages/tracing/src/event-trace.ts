/**
 * The trace of a live event on its way out of a subgraph: the code that yields a subscription
 * event notes the trace it belongs to on the operation's context, and the subgraph's graphql-ws
 * server sends it in the result's `extensions` (`traceparent`, `tracestate`), where the gateway
 * picks it up for the span of its push to the client. graphql-ws runs one event of an operation
 * at a time, so the note cannot be taken by another event of the same operation.
 */
import type { TraceCarrier } from './carrier.ts';

const EVENT_TRACE = Symbol.for('@shop/tracing/event-trace');

type Noted = { [EVENT_TRACE]?: TraceCarrier };

/** Notes the trace of the event about to be sent on the operation's context. */
export function noteEventTrace(contextValue: object, carrier: TraceCarrier | undefined): void {
  if (carrier?.traceparent) (contextValue as Noted)[EVENT_TRACE] = carrier;
}

/** The trace noted for the event being sent (forgotten once taken), if any. */
export function takeEventTrace(contextValue: unknown): TraceCarrier | undefined {
  if (typeof contextValue !== 'object' || contextValue === null) return undefined;
  const noted = (contextValue as Noted)[EVENT_TRACE];
  delete (contextValue as Noted)[EVENT_TRACE];
  return noted;
}
