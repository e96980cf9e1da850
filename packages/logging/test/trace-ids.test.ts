import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { resetTracingGlobals, startSdkInMemory } from '@shop/tracing/sdk';
import { createLogger } from '../src/index.ts';

/** A logger whose lines are kept, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { lines, destination };
}

const saved = process.env.TRACING_ENABLED;
afterEach(() => {
  if (saved === undefined) delete process.env.TRACING_ENABLED;
  else process.env.TRACING_ENABLED = saved;
  resetTracingGlobals();
});

describe('log lines and traces', () => {
  it('carry the active span ids with tracing on, and none outside a span', async () => {
    process.env.TRACING_ENABLED = 'true';
    const { sdk } = startSdkInMemory();
    const { lines, destination } = capture();
    const logger = createLogger('logging-test', 'info', destination);
    logger.info('outside');
    const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    await sdk.shutdown();
  });

  it('carry nothing with tracing off, even inside a span', async () => {
    delete process.env.TRACING_ENABLED;
    const { sdk } = startSdkInMemory();
    const { lines, destination } = capture();
    const logger = createLogger('logging-test', 'info', destination);
    trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
    await sdk.shutdown();
  });
});
