/**
 * Tracing for every process: `startTracing({ serviceName })` in its main.ts (after the preload,
 * see preload.ts), and the W3C trace context carried through outbox rows, Kafka headers and
 * Redis notices (carrier.ts). This module loads only `@opentelemetry/api` (no SDK): with tracing
 * off its helpers are calls into the API's no-op implementations.
 */
import { fileURLToPath } from 'node:url';
import {
  TraceFlags,
  context,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { loadConfig, StartupError } from '@shop/config';
import { publishedSdk } from './sdk-contract.ts';
import { tracingSettings } from './settings.ts';

export * from './carrier.ts';
export * from './event-trace.ts';
export { DEFAULT_ZIPKIN_URL, tracingSettings } from './settings.ts';

export interface Tracing {
  readonly enabled: boolean;
  /** Sends the spans still buffered and stops the SDK (on shutdown, after the service closed). */
  shutdown(): Promise<void>;
  /** `service` whose close() also flushes the spans once the service has closed. */
  closing<S extends { close(): Promise<void> }>(service: S): S;
}

const TRACING_OFF: Tracing = {
  enabled: false,
  shutdown: async () => {},
  closing: (service) => service,
};

type Env = Record<string, string | undefined>;

/** Whether TRACING_ENABLED is on in `env` (a bad value counts as off: startTracing reports it). */
export function tracingEnabled(env: Env = process.env): boolean {
  try {
    return loadConfig({ TRACING_ENABLED: tracingSettings.TRACING_ENABLED }, env).TRACING_ENABLED;
  } catch {
    return false;
  }
}

/**
 * Turns tracing on for this process when TRACING_ENABLED says so: spans named after
 * `serviceName`, sampled by TRACING_SAMPLE_RATIO, sent to ZIPKIN_URL. Call it first in main.ts,
 * once per process (workers/host calls it once for all its workers). Fails when tracing is on
 * but the process was started without the preload (tracingNodeArgs): its spans would miss every
 * HTTP, SQL, Redis and GraphQL step.
 */
export function startTracing(options: {
  serviceName: string;
  env?: Env;
  /** The process takes requests from outside (the gateway): see TRACING_TRUST_CLIENT_SAMPLING. */
  edge?: boolean;
}): Tracing {
  const settings = loadConfig(tracingSettings, options.env ?? process.env);
  if (!settings.TRACING_ENABLED) return TRACING_OFF;
  const sdk = publishedSdk();
  if (!sdk)
    throw new StartupError(
      'TRACING_ENABLED',
      `is on, but ${options.serviceName} was started without the tracing preload: ` +
        `run node --import ${preloadPath('built')} (or tsx --import ${preloadPath('source')})`,
    );
  const handle = sdk.start({
    serviceName: options.serviceName,
    sampleRatio: settings.TRACING_SAMPLE_RATIO,
    zipkinUrl: settings.ZIPKIN_URL,
    followRemoteSampling: !options.edge || settings.TRACING_TRUST_CLIENT_SAMPLING,
    edge: options.edge === true,
    contextWhileRecording: settings.TRACING_CONTEXT_WHILE_RECORDING,
  });
  const shutdown = () => handle.shutdown().catch(() => undefined);
  return {
    enabled: true,
    shutdown,
    closing: (service) => ({
      ...service,
      close: async () => {
        try {
          await service.close();
        } finally {
          await shutdown();
        }
      },
    }),
  };
}

/** The preload module of a runtime: its TypeScript source (tsx) or its production build. */
export function preloadPath(runtime: 'source' | 'built'): string {
  return fileURLToPath(
    new URL(runtime === 'built' ? '../dist/preload.js' : './preload.ts', import.meta.url),
  );
}

/**
 * The Node.js options that load the tracing preload, for launchers of service processes: none
 * when tracing is off in `env`, so such a process loads and patches nothing.
 */
export function tracingNodeArgs(env: Env, runtime: 'source' | 'built'): string[] {
  return tracingEnabled(env) ? ['--import', preloadPath(runtime)] : [];
}

/** `trace_id` and `span_id` of the active span, for log lines; empty without one. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** Whether the active trace is one the sampler left out (false outside any trace). */
export function inUnsampledTrace(): boolean {
  const span = trace.getSpan(context.active());
  return span !== undefined && (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0;
}

/** Whether `parent` (a carried context) names a trace the sampler keeps. */
export function isSampledContext(parent: Context): boolean {
  const spanContext = trace.getSpanContext(parent);
  return spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
}

/**
 * `work` in a new active span named `name`, ended when `work` settles; inside a trace the sampler
 * left out, `work` alone (span undefined): no span and no context switch for a hot path's steps
 * nobody keeps (at 1 % sampling the gateway's execute and fetch spans were most of its own
 * tracing cost). Outside any trace the span starts a trace of its own, as the sampler decides.
 * With `parent` (a context carried from elsewhere), a child of it when that trace is sampled,
 * else `work` alone: a carried trace is continued, never started.
 */
export function inSampledSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
  parent?: Context,
): Promise<T> {
  if (parent ? !isSampledContext(parent) : inUnsampledTrace()) return work(undefined);
  const run = (span: Span) => work(span).finally(() => span.end());
  return parent
    ? tracer.startActiveSpan(name, options, parent, run)
    : tracer.startActiveSpan(name, options, run);
}
