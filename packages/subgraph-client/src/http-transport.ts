import http from 'node:http';
import https from 'node:https';

export interface PostOptions {
  headers: Record<string, string>;
  /** Whole-request deadline in milliseconds (connect + send + full response). */
  timeoutMs: number;
  /** Responses larger than this are refused rather than buffered. */
  maxResponseBytes: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/**
 * A keep-alive agent per client: service-to-service calls reuse warm connections instead of
 * paying a TCP handshake per request (Node's default agent for http.request does not keep
 * sockets alive across requests unless asked to).
 */
export function keepAliveAgent(url: URL, maxSockets: number): http.Agent {
  const options = { keepAlive: true, keepAliveMsecs: 1000, maxSockets, maxFreeSockets: maxSockets };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

/** POSTs `body` and buffers the answer, failing with a clear Error on timeout or oversize. */
export function post(
  url: URL,
  agent: http.Agent,
  body: string,
  options: PostOptions,
): Promise<HttpResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = transport.request(url, {
      method: 'POST',
      agent,
      headers: { ...options.headers, 'content-length': Buffer.byteLength(body).toString() },
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          req.destroy(new Error(`response larger than ${options.maxResponseBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(body);
  });
}

/**
 * A reused keep-alive socket that the server closed just before we wrote to it fails with
 * ECONNRESET / "socket hang up" before any response: safe to retry once for read-only calls.
 */
export function isStaleSocketError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNRESET' || code === 'EPIPE' || (error as Error)?.message === 'socket hang up'
  );
}
