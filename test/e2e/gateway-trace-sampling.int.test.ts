import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetTracingGlobals, startSdkInMemory } from '@shop/tracing/sdk';
import { graphql, startSupergraph, testEnv, type RunningSupergraph } from '@shop/testing';

/**
 * The gateway is the edge: whether a request over HTTP is traced is decided once, before it
 * runs (packages/tracing, incoming-sampling.ts). A request it left out must not start a trace of
 * its own further in, at execution, fetch or planning: that sampled it a second time by the
 * same ratio (twice the configured share of traces, none with its HTTP span).
 *
 * Here the SDK records everything it is asked to (ratio 1) and nothing installs the HTTP
 * instrumentation (no preload), so no request arrives with a trace: none may appear.
 */
const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let tracing: ReturnType<typeof startSdkInMemory>;

beforeAll(async () => {
  tracing = startSdkInMemory({ sampleRatio: 1, edge: true, serviceName: 'gateway' });
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
  await tracing?.sdk.shutdown();
  resetTracingGlobals();
});

describe('trace sampling at the gateway', () => {
  it('an HTTP request the edge did not trace starts no trace at execution, fetch or planning', async () => {
    const res = await graphql<{ categories: { id: string }[] }>(
      supergraph.gatewayUrl,
      `
        query SamplingProbe {
          categories {
            id
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.categories).toBeInstanceOf(Array);
    await tracing.sdk.forceFlush();
    const names = tracing.exporter.getFinishedSpans().map((s) => s.name);
    expect(names.filter((n) => n.startsWith('gateway.'))).toEqual([]);
  });
});
