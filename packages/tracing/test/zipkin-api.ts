/**
 * Reading traces back from a real Zipkin through its HTTP API, for tests. Zipkin ingests
 * asynchronously (and the services export about once a second): poll, never read once.
 */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  /** Zipkin stores names in lower case. */
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** Every span Zipkin holds of trace `traceId` (none yet: an empty list). */
export async function zipkinTrace(zipkinUrl: string, traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${zipkinUrl}/api/v2/trace/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Zipkin answered ${response.status} for trace ${traceId}`);
  return (await response.json()) as ZipkinSpan[];
}

export const serviceOf = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';

/** The spans of `service` named `name` (both compared in lower case, as Zipkin keeps them). */
export function spansNamed(spans: ZipkinSpan[], service: string, name: string): ZipkinSpan[] {
  return spans.filter(
    (s) => serviceOf(s) === service.toLowerCase() && s.name === name.toLowerCase(),
  );
}

/** A trace is one tree when every span's parent is in it (or is the given outside root). */
export function orphansOf(spans: ZipkinSpan[], outsideParent?: string): ZipkinSpan[] {
  const ids = new Set(spans.map((s) => s.id));
  return spans.filter(
    (s) => s.parentId !== undefined && s.parentId !== outsideParent && !ids.has(s.parentId),
  );
}
