/**
 * W3C trace context (`traceparent`, `tracestate`) in and out of the places a trace crosses that
 * no instrumentation knows: an outbox row, Kafka message headers, a Redis notice. Through the
 * global propagator only, so with tracing off (no propagator registered) injecting gives nothing
 * and extracting gives the empty context, at the cost of a function call.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
} from '@opentelemetry/api';

/** The two W3C headers, as stored in an outbox row and sent as Kafka headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active trace context as W3C headers; empty when there is none (or tracing is off). */
export function currentTraceCarrier(active: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  const out: TraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/**
 * Header values as they arrive: strings, or Buffers (kafkajs), or arrays of either (a header
 * sent twice); the first value counts.
 */
type HeaderValue = string | Buffer | readonly (string | Buffer)[] | null | undefined;

/** Where trace headers are read from: a carrier, Kafka or HTTP headers, a parsed notice. */
export type HeaderSource = TraceCarrier | Readonly<Record<string, unknown>> | null | undefined;

function headerText(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === null || first === undefined) return undefined;
  return typeof first === 'string' ? first : (first as Buffer).toString('utf8');
}

/** Only the trace headers of a carrier, as strings (Kafka headers arrive as Buffers). */
export function traceHeadersOf(source: HeaderSource): TraceCarrier {
  const out: TraceCarrier = {};
  if (!source) return out;
  const headers = source as Readonly<Record<string, unknown>>;
  const traceparent = headerText(headers.traceparent as HeaderValue);
  const tracestate = headerText(headers.tracestate as HeaderValue);
  if (traceparent) out.traceparent = traceparent;
  if (tracestate) out.tracestate = tracestate;
  return out;
}

/**
 * The context a carrier names, as the parent of what follows (the root context with the remote
 * span in it), or the root context when it names none or a malformed one.
 */
export function contextFromCarrier(headers: HeaderSource): Context {
  const carrier = traceHeadersOf(headers);
  if (!carrier.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** A link to the span a carrier names, or none (no carrier, malformed, tracing off). */
export function linkFromCarrier(headers: HeaderSource): Link[] {
  const spanContext = trace.getSpanContext(contextFromCarrier(headers));
  return spanContext && trace.isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}
