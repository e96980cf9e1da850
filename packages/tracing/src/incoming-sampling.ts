/**
 * Which incoming requests get a trace at all, decided before any instrumentation runs.
 *
 * The edge (the gateway) decides: a request it leaves out gets no span, no context and no
 * bindings, so 99 requests in 100 at 1 % sampling run as with tracing off (the HTTP
 * instrumentation's span, attributes and bindings were most of the sampled-out cost). Behind the
 * edge, a process only continues a trace it is handed as sampled: a request with an unsampled
 * `traceparent`, or none, is left out there too, so a trace never starts halfway down a request.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-node';

export interface IncomingSampling {
  /** This process takes requests from outside (the gateway). */
  edge: boolean;
  /** At the edge: a client's sampled flag decides (else the ratio does, by the client's trace id). */
  trustClientSampling: boolean;
  /** The share of requests traced at the edge. */
  ratio: number;
  /** The ratio sampler itself: decides by trace id, as the rest of the SDK does. */
  ratioSampler: Sampler;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})/;

/** A `traceparent` header's trace id and sampled flag; undefined when absent or malformed. */
export function parseTraceparent(
  header: string | string[] | undefined,
): { traceId: string; sampled: boolean } | undefined {
  const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  if (!match || /^0+$/.test(match[1]!)) return undefined;
  return { traceId: match[1]!, sampled: (parseInt(match[2]!, 16) & 1) === 1 };
}

/** Whether a request with this `traceparent` header is left out (no trace, no span). */
export function leftOut(
  policy: IncomingSampling,
  traceparent: string | string[] | undefined,
  random: () => number = Math.random,
): boolean {
  const parent = parseTraceparent(traceparent);
  if (!policy.edge) return !parent?.sampled;
  if (parent && policy.trustClientSampling) return !parent.sampled;
  if (!parent) return random() >= policy.ratio;
  return (
    policy.ratioSampler.shouldSample(ROOT_CONTEXT, parent.traceId, '', SpanKind.SERVER, {}, [])
      .decision !== SamplingDecision.RECORD_AND_SAMPLED
  );
}

/**
 * The edge's sampler: an incoming request's span exists only when `leftOut` kept the request,
 * so it is recorded whatever the client's flag says; every other span as `rest` decides.
 */
export class EdgeSampler implements Sampler {
  constructor(private readonly rest: Sampler) {}

  shouldSample(
    parent: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (kind === SpanKind.SERVER) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.rest.shouldSample(parent, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `EdgeSampler{${this.rest.toString()}}`;
  }
}
