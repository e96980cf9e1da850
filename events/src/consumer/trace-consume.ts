/**
 * The consumer's part of a trace: every handler attempt runs in a span whose parent is the
 * context the message carries (the relay's publish span), so an event's handling joins the
 * trace of the request that caused it, and an outbox row the handler writes continues it. A
 * retry is another attempt span beside the first (status error on failure); a dead letter keeps
 * the message's trace headers, so a replay's attempt joins the same trace again.
 */
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { contextFromCarrier, isSampledContext } from '@shop/tracing';

const tracer = trace.getTracer('@shop/events/consumer');

/** The producing context a Kafka message names (the root context when it names none). */
export function messageContext(headers: Record<string, unknown> | undefined): Context {
  return contextFromCarrier(headers);
}

export interface AttemptInfo {
  /** The route (inbox consumer name) handling it. */
  consumer: string;
  groupId: string;
  eventType: string;
  eventId: string;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

function messagingAttributes(info: Omit<AttemptInfo, 'attempt' | 'consumer'>): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': info.topic,
    'messaging.destination.partition.id': String(info.partition),
    'messaging.kafka.offset': Number(info.offset),
    'messaging.consumer.group.name': info.groupId,
    'messaging.message.id': info.eventId,
    'event.type': info.eventType,
  };
}

/**
 * Runs one handler attempt in a span (child of `parent`, when that trace is sampled) that is the
 * active context while it runs; the span fails with the attempt. `work` resolves to whether the inbox had the event
 * already (a redelivery or a replay of something handled).
 */
export function inAttemptSpan(
  parent: Context,
  info: AttemptInfo,
  work: () => Promise<'handled' | 'duplicate'>,
): Promise<'handled' | 'duplicate'> {
  // A consumer only continues traces (incoming-sampling.ts in @shop/tracing): an event of a
  // request the edge left out, or of none, is handled with no span and no context.
  if (!isSampledContext(parent)) return work();
  const span = tracer.startSpan(
    `handle ${info.eventType}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(info),
        'consumer.route': info.consumer,
        'consumer.attempt': info.attempt,
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      const outcome = await work();
      span.setAttribute('consumer.outcome', outcome);
      return outcome;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      if (error instanceof Error) span.recordException(error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the dead-letter hand-off in the message's trace (a short span with the reason). */
export function traceDeadLetter(
  parent: Context,
  info: Omit<AttemptInfo, 'attempt' | 'eventType' | 'eventId'> & {
    eventType?: string;
    eventId?: string;
    reason: string;
    attempts: number;
    deadLetterTopic: string;
  },
): void {
  const span = tracer.startSpan(
    `dead-letter ${info.eventType ?? 'message'}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...messagingAttributes({
          ...info,
          eventType: info.eventType ?? '',
          eventId: info.eventId ?? '',
        }),
        'consumer.route': info.consumer,
        'dlq.topic': info.deadLetterTopic,
        'dlq.reason': info.reason.slice(0, 1000),
        'dlq.attempts': info.attempts,
      },
    },
    parent,
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: info.reason.slice(0, 1000) });
  span.end();
}

/**
 * For a batching sink: a span from the moment a traced message is read to the moment the batch
 * holding its rows is written (endSpans), in the message's trace. A message without a trace
 * context gets none (no span per row of a sink's untraced stream).
 */
export function startStoreSpan(
  headers: Record<string, unknown> | undefined,
  info: {
    consumer: string;
    groupId: string;
    eventType: string;
    eventId: string;
    topic: string;
    partition: number;
    offset: string;
  },
): Span | undefined {
  const parent = messageContext(headers);
  if (!trace.getSpanContext(parent)) return undefined;
  return tracer.startSpan(
    `store ${info.eventType}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { ...messagingAttributes(info), 'consumer.route': info.consumer },
    },
    parent,
  );
}

/** Ends the spans of a written batch, or of one whose write failed for good. */
export function endSpans(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      if (error instanceof Error) span.recordException(error);
    }
    span.end();
  }
}
