/**
 * The relay's part of a trace: each outbox row written in a trace (its `traceparent` column) is
 * published in a span that continues that trace, and the span's context goes on the Kafka
 * message as W3C headers, so the consumers' handlers join the trace too. A row written with
 * tracing off has no context: it gets no span and no headers (a relay batch is no request of
 * its own, and a root span per row would only be noise).
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import {
  contextFromCarrier,
  currentTraceCarrier,
  isSampledContext,
  type TraceCarrier,
} from '@shop/tracing';

const tracer = trace.getTracer('@shop/events/relay');

/** What a row needs for its span: its stored context and what the span tells about it. */
export interface TracedRow {
  id: string;
  aggregate_id: string;
  topic: string;
  type: string;
  created_at: Date;
  traceparent: string | null;
  tracestate: string | null;
}

const stored = (row: TracedRow): TraceCarrier => ({
  traceparent: row.traceparent!,
  ...(row.tracestate ? { tracestate: row.tracestate } : {}),
});

export interface PublishSpans<R> {
  /** The trace headers of a row's Kafka message (empty for a row without a trace). */
  headersOf(row: R): TraceCarrier;
  /**
   * Ends every span: published, except the rows in `rejected` (Kafka refused them, with the
   * reason); or all failed with `error` (the batch rolled back and will be published again).
   */
  end(outcome: { rejected?: ReadonlyMap<R, string>; error?: unknown }): void;
}

/** Starts a publish span for every row of a batch that carries a trace context. */
export function startPublishSpans<R extends TracedRow>(rows: readonly R[]): PublishSpans<R> {
  const spans = new Map<R, { span: Span | undefined; headers: TraceCarrier }>();
  const now = Date.now();
  for (const row of rows) {
    if (!row.traceparent) continue;
    const parent = contextFromCarrier({ traceparent: row.traceparent, tracestate: row.tracestate });
    // A trace the sampler left out: its decision goes on as it is, with no span of the relay's.
    if (!isSampledContext(parent)) {
      spans.set(row, { span: undefined, headers: stored(row) });
      continue;
    }
    const span = tracer.startSpan(
      `publish ${row.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': row.topic,
          'messaging.message.id': row.id,
          'messaging.kafka.message.key': row.aggregate_id,
          'event.type': row.type,
          // Time the row waited in the outbox: the relay's share of the event's latency.
          'outbox.wait_ms': Math.max(0, now - row.created_at.getTime()),
        },
      },
      parent,
    );
    const own = currentTraceCarrier(trace.setSpan(parent, span));
    // A relay with tracing off injects nothing: it passes the stored context on as it is, so
    // the consumers still join the writer's trace.
    const headers = own.traceparent ? own : stored(row);
    spans.set(row, { span, headers });
  }
  return {
    headersOf: (row) => spans.get(row)?.headers ?? {},
    end({ rejected, error }) {
      for (const [row, { span }] of spans) {
        if (!span) continue;
        const refused = rejected?.get(row);
        if (error !== undefined || refused !== undefined) {
          const message = refused ?? String((error as Error)?.message ?? error);
          span.setStatus({ code: SpanStatusCode.ERROR, message });
          if (error instanceof Error) span.recordException(error);
        }
        span.end();
      }
      spans.clear();
    },
  };
}
