/**
 * The consumer runtime's spans in a real Zipkin: each handler attempt is a span of the trace the
 * message carries (retries beside it, failed ones marked as errors), the outbox row a handler
 * writes continues the attempt's trace, a dead letter keeps the trace headers, and its replay
 * is handled in the same trace again. The SDK runs in this process (the consumer's spans are
 * its own, hand-written ones: no instrumentation is involved).
 */
import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { currentTraceCarrier } from '@shop/tracing';
import { resetTracingGlobals, startSdk } from '@shop/tracing/sdk';
import {
  EventConsumer,
  OrderPlaced,
  createEvent,
  encodeEvent,
  listDeadLetters,
  outboxRowValues,
  pgTransaction,
  replayDeadLetters,
} from '../src/index.ts';
import { freshTopic, orderDbUrl, testKafka } from './helpers.ts';
import {
  orphansOf,
  spansNamed,
  zipkinTrace,
  type ZipkinSpan,
} from '../../packages/tracing/test/zipkin-api.ts';

const zipkin = inject('stack').zipkin;
const SERVICE = `consumer-tracing-test-${randomUUID().slice(0, 8)}`;

let sdk: ReturnType<typeof startSdk>;
let kafka: Kafka;
let pool: pg.Pool;
let consumer: EventConsumer<pg.PoolClient> | undefined;

beforeAll(() => {
  sdk = startSdk({ serviceName: SERVICE, sampleRatio: 1, zipkinUrl: zipkin.spansUrl });
  kafka = testKafka('consumer-tracing-test');
  pool = new pg.Pool({ connectionString: orderDbUrl(), max: 4 });
});

afterAll(async () => {
  await consumer?.stop();
  await pool.end();
  await sdk.shutdown();
  resetTracingGlobals();
});

function placed() {
  const orderId = randomUUID();
  return createEvent(OrderPlaced, orderId, {
    orderId,
    userId: randomUUID(),
    items: [
      { productId: randomUUID(), quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } },
    ],
    total: { amount: '1.00', currency: 'EUR' },
  });
}

/**
 * Publishes `event` the way the relay does, from a producer span of a new trace (its
 * traceparent on the message); returns that trace's id and the producer span's id.
 */
async function publishTraced(topic: string, event: ReturnType<typeof placed>) {
  const span = trace.getTracer('test').startSpan(`test publish ${event.eventId}`);
  const message = encodeEvent(event);
  Object.assign(message.headers, currentTraceCarrier(trace.setSpan(context.active(), span)));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [message] });
  await producer.disconnect();
  span.end();
  return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
}

const tag = (span: ZipkinSpan, name: string) => span.tags?.[name];
/** The handler attempts of a trace, by attempt number, then in time. */
const attemptsOf = (spans: ZipkinSpan[]) =>
  spansNamed(spans, SERVICE, 'handle OrderPlaced').sort(
    (a, b) =>
      Number(tag(a, 'consumer.attempt')) - Number(tag(b, 'consumer.attempt')) ||
      (a.timestamp ?? 0) - (b.timestamp ?? 0),
  );

describe('consumer spans in Zipkin', () => {
  it('shows every attempt, continues the trace into outbox rows, and a DLQ replay in it', async () => {
    const topic = await freshTopic(kafka, 'trace-consume', 1);
    const dlq = await freshTopic(kafka, 'trace-consume-dlq', 1);
    const flaky = placed();
    const poison = placed();
    let poisonFixed = false;
    const attempts = new Map<string, number>();
    /** What the outbox row written by each successful attempt would store. */
    const outboxTraceparents = new Map<string, unknown>();
    const name = `trace-${randomUUID().slice(0, 8)}`;
    consumer = new EventConsumer<pg.PoolClient>({
      name,
      kafka,
      topics: [topic],
      deadLetterTopic: dlq,
      checkTopic: false,
      maxAttempts: 3,
      backoff: { initialMs: 20, maxMs: 100 },
      transaction: pgTransaction(pool),
      handler: async (event) => {
        const attempt = (attempts.get(event.eventId) ?? 0) + 1;
        attempts.set(event.eventId, attempt);
        if (event.eventId === flaky.eventId && attempt <= 2) throw new Error(`flaky ${attempt}`);
        if (event.eventId === poison.eventId && !poisonFixed) throw new Error('poison');
        outboxTraceparents.set(event.eventId, outboxRowValues(placed())[8]);
      },
    });
    await consumer.start();
    const flakyTrace = await publishTraced(topic, flaky);
    // One after the other: two events read in one fetch are first tried together in one shared
    // transaction, whose failure would add an attempt span of its own.
    await expect.poll(() => attempts.get(flaky.eventId), { timeout: 30_000 }).toBe(3);
    const poisonTrace = await publishTraced(topic, poison);
    await expect.poll(() => consumer!.stats.deadLettered, { timeout: 30_000 }).toBe(1);

    // Two failed attempts then a good one, each a span under the producer's span.
    await expect
      .poll(async () => attemptsOf(await zipkinTrace(zipkin.url, flakyTrace.traceId)).length, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(3);
    const flakySpans = attemptsOf(await zipkinTrace(zipkin.url, flakyTrace.traceId));
    expect(flakySpans.map((s) => tag(s, 'consumer.attempt'))).toEqual(['1', '2', '3']);
    expect(flakySpans.map((s) => tag(s, 'error'))).toEqual(['flaky 1', 'flaky 2', undefined]);
    expect(flakySpans.map((s) => tag(s, 'consumer.outcome'))).toEqual([
      undefined,
      undefined,
      'handled',
    ]);
    for (const span of flakySpans) {
      expect(span.parentId).toBe(flakyTrace.spanId);
      expect(span.kind).toBe('CONSUMER');
      expect(tag(span, 'messaging.destination.name')).toBe(topic);
      expect(tag(span, 'consumer.route')).toBe(name);
    }
    // The row a handler writes carries the attempt's own context: the trace goes on from there.
    expect(outboxTraceparents.get(flaky.eventId)).toBe(
      `00-${flakyTrace.traceId}-${flakySpans[2]!.id}-01`,
    );

    // The dead letter keeps the message's trace headers...
    const [letter] = await listDeadLetters(kafka, { topic: dlq });
    expect(letter!.headers.traceparent).toBe(`00-${poisonTrace.traceId}-${poisonTrace.spanId}-01`);
    await expect
      .poll(
        async () =>
          spansNamed(
            await zipkinTrace(zipkin.url, poisonTrace.traceId),
            SERVICE,
            'dead-letter OrderPlaced',
          ).length,
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);

    // ...so its replay is handled in the same trace, under the same producer span.
    poisonFixed = true;
    expect(await replayDeadLetters(kafka, [letter!], { dlqTopic: dlq })).toBe(1);
    await expect
      .poll(
        async () =>
          attemptsOf(await zipkinTrace(zipkin.url, poisonTrace.traceId)).map((s) => [
            tag(s, 'consumer.attempt'),
            tag(s, 'consumer.outcome') ?? `error: ${tag(s, 'error')}`,
          ]),
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([
        ['1', 'error: poison'],
        ['1', 'handled'],
        ['2', 'error: poison'],
        ['3', 'error: poison'],
      ]);
    const poisonSpans = await zipkinTrace(zipkin.url, poisonTrace.traceId);
    expect(orphansOf(poisonSpans)).toEqual([]);
    for (const span of attemptsOf(poisonSpans)) expect(span.parentId).toBe(poisonTrace.spanId);
  }, 90_000);
});
