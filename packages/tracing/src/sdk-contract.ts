/**
 * What the preload leaves for startTracing: the service code is bundled apart from the preload
 * in production builds, and must not import the SDK itself (a bundle would then load it even
 * with tracing off), so the two meet through one global slot.
 */
export const SDK_KEY = Symbol.for('@shop/tracing/sdk');

export interface SdkOptions {
  serviceName: string;
  sampleRatio: number;
  zipkinUrl: string;
  /**
   * Whether a sampled (or unsampled) flag on an incoming trace context decides for this process.
   * Off at the edge: there the context comes from outside, and a client setting the flag on
   * every request would have every one of its requests recorded; the ratio decides instead,
   * by trace id, so the gateway agrees with the services that decided by the same ratio.
   * Default: follow.
   */
  followRemoteSampling?: boolean;
  /**
   * The process takes requests from outside (the gateway): it decides which incoming requests
   * are traced. Behind the edge a process traces only what it is handed as sampled.
   */
  edge?: boolean;
  /**
   * TRACING_CONTEXT_WHILE_RECORDING: contexts carried only while a recorded span is open
   * (default); false for OpenTelemetry's AsyncLocalStorage context manager as it is.
   */
  contextWhileRecording?: boolean;
}

export interface SdkHandle {
  shutdown(): Promise<void>;
  forceFlush(): Promise<void>;
}

export interface TracingSdk {
  start(options: SdkOptions): SdkHandle;
}

export function publishedSdk(): TracingSdk | undefined {
  return (globalThis as Record<symbol, unknown>)[SDK_KEY] as TracingSdk | undefined;
}
