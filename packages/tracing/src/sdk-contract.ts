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
