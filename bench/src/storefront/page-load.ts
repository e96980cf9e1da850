/** HTTP load on server-rendered pages (GET, HTML) with autocannon. */
import autocannon from 'autocannon';
import type { LoadResult } from '../load.ts';

export async function runPageLoad(
  url: string,
  options: { connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: 'GET',
    headers: { accept: 'text/html' },
  });
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
