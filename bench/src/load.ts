import autocannon from 'autocannon';

export interface LoadRequest {
  body: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  mean: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/**
 * Fixed-concurrency HTTP load with autocannon: `connections` clients each keep one request in
 * flight, cycling through `requests` (the query mix).
 */
export async function runLoad(
  url: string,
  requests: LoadRequest[],
  options: { connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: requests.map((r) => ({
      method: 'POST',
      body: r.body,
      headers: { 'content-type': 'application/json', ...r.headers },
    })),
  });
  return loadResult(result);
}

/** The figures of an autocannon run this project reports. */
export function loadResult(result: autocannon.Result): LoadResult {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    mean: result.latency.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}
