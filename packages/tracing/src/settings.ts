import { bool, fraction, url } from '@shop/config';

/** Where spans go unless ZIPKIN_URL says otherwise: the local stack's Zipkin. */
export const DEFAULT_ZIPKIN_URL = 'http://127.0.0.1:9411/api/v2/spans';

/**
 * Every process's tracing settings (read from the process environment: one SDK per process,
 * also when workers/host runs several workers in it).
 */
export const tracingSettings = {
  /**
   * Off by default: no SDK is loaded and nothing is patched. `npm start` and the tests that read
   * traces turn it on; the process must then also start with the preload (see tracingNodeArgs).
   */
  TRACING_ENABLED: bool(false),
  /**
   * Share of new traces recorded (1 locally, 0.01 say in production). Parent-based: a request or
   * event that arrives with a trace context follows its sampling decision, so one order's trace
   * is recorded in every service or in none.
   */
  TRACING_SAMPLE_RATIO: fraction(1),
  /**
   * At the gateway (the edge): follow the sampled flag of a client's `traceparent` (true), or
   * decide by TRACING_SAMPLE_RATIO alone (false, the default), so a client cannot have all of
   * its requests recorded. The client's trace id is kept either way. Services behind the
   * gateway always follow the flag they are sent.
   */
  TRACING_TRUST_CLIENT_SAMPLING: bool(false),
  /**
   * Carry trace contexts across `await` only while this process has a recorded span open
   * (sampled-work-context.ts, the default): Node's async hooks then stay off between sampled
   * traces. False: OpenTelemetry's own context manager, every context always carried (an
   * unsampled one included), the hooks on for good from the first sampled trace.
   */
  TRACING_CONTEXT_WHILE_RECORDING: bool(true),
  /** Zipkin's v2 span endpoint. */
  ZIPKIN_URL: url(['http', 'https'], DEFAULT_ZIPKIN_URL),
};
