/** HTTP load on server-rendered pages (GET, HTML) with autocannon. */
import autocannon from 'autocannon';
import { loadResult, type LoadResult } from '../load.ts';

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
  return loadResult(result);
}
