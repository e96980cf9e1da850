/**
 * The OpenTelemetry SDK: the instrumentations (installed by the preload, before the service's
 * modules load) and the tracer provider (started by startTracing, once the service knows its
 * name). Only the preload and tests import this module: a process with tracing off never loads
 * it, so it patches nothing and costs nothing.
 */
import { register } from 'node:module';
import type { RequestOptions } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import {
  HttpInstrumentation,
  type HttpInstrumentationConfig,
} from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { EdgeSampler, leftOut, type IncomingSampling } from './incoming-sampling.ts';
import { rememberLoadedRequires } from './loaded-requires.ts';
import { SampledWorkContextManager } from './sampled-work-context.ts';
import {
  bypassForRequests,
  propagateOnlyInUnrecordedTraces,
  recordedTracesOnly,
} from './recorded-only.ts';
import { SDK_KEY, type SdkOptions, type TracingSdk } from './sdk-contract.ts';

/** undici's instrumentation, with no client span inside an unsampled trace. */
export const UnsampledLightUndici = propagateOnlyInUnrecordedTraces(
  UndiciInstrumentation,
  'onRequestCreated',
  (message, name, value) =>
    (message as { request: { addHeader(name: string, value: string): void } }).request.addHeader(
      name,
      value,
    ),
);

/**
 * How incoming requests are sampled, once startSdk knows the process (before that, and in tests
 * that start no SDK, every request is instrumented).
 */
let incoming: IncomingSampling | undefined;

/** Paths every service answers for supervisors and Prometheus: no trace of their own. */
const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);
const isProbe = (path: string | undefined) => PROBE_PATHS.has((path ?? '').split('?')[0]!);

/**
 * The HTTP instrumentation, bypassed entirely by an incoming request that gets no trace here: a
 * probe, or a request this process does not trace (incoming-sampling.ts). Its own ignore hook
 * still enters a context and binds the request's and the response's listeners to it, work
 * repeated for every request the edge left out and every scrape.
 */
const UntracedRequestsBypassHttp = bypassForRequests(
  HttpInstrumentation,
  (req) =>
    isProbe(req.url) || (incoming !== undefined && leftOut(incoming, req.headers.traceparent)),
);

/**
 * Node's HTTP instrumentation: the server side bypassed for untraced requests
 * (UntracedRequestsBypassHttp), the client side run inside sampled traces only. Elsewhere the
 * client made a non-recording span for every request all the same: the URL and attributes
 * worked out, a context entered (the first one turns on AsyncLocalStorage's hooks for every
 * promise of the process) and the request's and response's listeners bound to it, for nothing
 * (the order subgraph's calls to the cart subgraph: 5 % of its CPU at 0 % sampling). Nothing
 * needs telling either: behind the edge, a request without `traceparent` and one with an
 * unsampled one are both left out (incoming-sampling.ts), and the edge's own subgraph fetches go
 * through undici (UnsampledLightUndici).
 */
export const sampledOnlyHttp = (config: HttpInstrumentationConfig) =>
  recordedTracesOnly(new UntracedRequestsBypassHttp(config), ['_getPatchOutgoingRequestFunction']);

/** The instrumentations the preload installs (exported for the test of their versions). */
export function instrumentations() {
  return [
    // Probes and requests this process does not trace bypass it, and so does every outgoing
    // request outside a sampled trace (sampledOnlyHttp).
    sampledOnlyHttp({
      // Background calls (JWKS refresh, Elasticsearch, Zipkin itself) start no trace of their own.
      requireParentforOutgoingSpans: true,
      ignoreOutgoingRequestHook: (options: RequestOptions) => isProbe(options.path ?? undefined),
    }),
    // The gateway's subgraph fetches (undici) and fetch(): a span each, and `traceparent` on the
    // request so the subgraph's spans join the gateway's trace.
    // Inside a trace the sampler left out, only the context goes on the request (no span).
    new UnsampledLightUndici({
      requireParentforSpans: true,
      ignoreRequestHook: (request) => isProbe(request.path),
    }),
    // The relay's and the consumers' polling queries run outside any request: no root spans.
    // Nor any span inside a trace the sampler left out (recordedTracesOnly).
    recordedTracesOnly(
      new PgInstrumentation({ requireParentSpan: true }),
      ['_getClientQueryPatch', '_getClientConnectPatch', '_getPoolConnectPatch'],
      ['_getPoolConnectPatch'],
    ),
    recordedTracesOnly(new IORedisInstrumentation({ requireParentSpan: true }), [
      '_patchSendCommand',
      '_patchConnection',
    ]),
    // Parse, validate and execute as spans, and no span per resolved field: resolver spans are
    // most of the instrumentation's cost and of a trace's size, and a field's database or HTTP
    // work shows as spans of its own anyway. (Trivial fields cannot be told apart here: Apollo
    // Server wraps every field's resolver once a plugin watches fields, so none looks default.)
    // Parse, validate and execute have no children that need their context: none inside a trace
    // the sampler left out either.
    recordedTracesOnly(
      new GraphQLInstrumentation({
        ignoreResolveSpans: true,
        mergeItems: true,
        ignoreTrivialResolveSpans: true,
      }),
      ['_patchParse', '_patchValidate', '_patchExecute'],
    ),
  ];
}

/**
 * Patches the instrumented modules as they load: CommonJS through require-in-the-middle, ES
 * modules (and CommonJS packages imported from them) through import-in-the-middle's loader,
 * told to wrap only the modules an instrumentation asked for. Must run before the service's
 * own modules load, hence the preload (`node --import`). Publishes the SDK for startTracing.
 */
export async function installTracing(): Promise<void> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  registerInstrumentations({ instrumentations: instrumentations() });
  // After the instrumentations: the outermost wrapper of require() (loaded-requires.ts).
  rememberLoadedRequires();
  await waitForAllMessagesAcknowledged();
  publishSdk();
}

/** Makes startSdk reachable from startTracing (which never imports this module itself). */
export function publishSdk(): void {
  (globalThis as Record<symbol, unknown>)[SDK_KEY] = { start: startSdk } satisfies TracingSdk;
}

/**
 * Starts the tracer provider and registers it globally with the W3C propagator and an
 * AsyncLocalStorage context manager (by default one that carries contexts only while a
 * recorded span is open: sampled-work-context.ts): spans are sampled by `sampleRatio`
 * (parent-based) and sent to Zipkin in batches about once a second. `processor` replaces the
 * Zipkin exporter (tests).
 */
export function startSdk(options: SdkOptions & { processor?: SpanProcessor }) {
  const processor =
    options.processor ??
    new BatchSpanProcessor(
      new ZipkinExporter({ url: options.zipkinUrl, serviceName: options.serviceName }),
      { scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 512 },
    );
  const ratio = new TraceIdRatioBasedSampler(options.sampleRatio);
  const parentBased = new ParentBasedSampler({
    root: ratio,
    ...(options.followRemoteSampling === false
      ? { remoteParentSampled: ratio, remoteParentNotSampled: ratio }
      : {}),
  });
  incoming = {
    edge: options.edge === true,
    trustClientSampling: options.followRemoteSampling !== false,
    ratio: options.sampleRatio,
    ratioSampler: ratio,
  };
  // Opted out, the provider registers OpenTelemetry's AsyncLocalStorage context manager.
  const contextManager =
    options.contextWhileRecording === false ? undefined : new SampledWorkContextManager();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: options.edge ? new EdgeSampler(parentBased) : parentBased,
    spanProcessors: contextManager ? [contextManager.processor, processor] : [processor],
  });
  provider.register({
    ...(contextManager ? { contextManager } : {}),
    propagator: new W3CTraceContextPropagator(),
  });
  return {
    /** Sends what is buffered and stops; spans started afterwards are dropped. */
    shutdown: () => provider.shutdown(),
    forceFlush: () => provider.forceFlush(),
  };
}

/**
 * For tests that read the spans of their own process: the SDK with its spans kept in `exporter`
 * (every trace recorded unless `sampleRatio` says otherwise; nothing is sent anywhere).
 */
export function startSdkInMemory(options: Partial<SdkOptions> = {}) {
  const exporter = new InMemorySpanExporter();
  const sdk = startSdk({
    serviceName: 'test',
    sampleRatio: 1,
    zipkinUrl: 'http://127.0.0.1:1/unused',
    ...options,
    processor: new SimpleSpanProcessor(exporter),
  });
  return { exporter, sdk };
}

/** Turns the API's globals back to no-ops: they outlive an SDK's shutdown (each test starts off). */
export function resetTracingGlobals(): void {
  trace.disable();
  context.disable();
  propagation.disable();
  incoming = undefined;
}
