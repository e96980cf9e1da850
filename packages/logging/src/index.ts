import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { activeTraceIds, tracingEnabled } from '@shop/tracing';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on stdout, one object per line, with the service name on every line so a
 * shared log pipeline can tell the five subgraphs, the gateway and the workers apart. With
 * tracing on (TRACING_ENABLED), a line written inside a span carries its `trace_id` and
 * `span_id`, so a trace in Zipkin leads to its log lines and back; with tracing off no mixin is
 * installed at all.
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  /** Where lines go (default stdout); tests read them back. */
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'password'],
      censor: '[redacted]',
    },
    ...(tracingEnabled() ? { mixin: activeTraceIds } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
