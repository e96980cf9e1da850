import type http from 'node:http';
import {
  HeaderMap,
  type ApolloServer,
  type BaseContext,
  type HTTPGraphQLRequest,
} from '@apollo/server';

export interface GraphQLHandlerOptions<C extends BaseContext> {
  /** Largest accepted request body; larger ones are refused with 413 before parsing. */
  maxBodyBytes?: number;
  context: (req: http.IncomingMessage) => Promise<C>;
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function errorResponse(res: http.ServerResponse, status: number, message: string, code: string) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

/**
 * Serves an Apollo Server on Node's own http module. Apollo Server 5 ships no integration for
 * it beyond startStandaloneServer, which owns the whole server and leaves no room for /health,
 * /ready and /metrics on the same port.
 */
export function apolloHttpHandler<C extends BaseContext>(
  server: ApolloServer<C>,
  options: GraphQLHandlerOptions<C>,
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      let raw: string;
      try {
        raw = await readBody(req, limit);
      } catch (error) {
        if (error instanceof BodyTooLarge)
          return errorResponse(res, 413, `Request body exceeds ${limit} bytes`, 'BAD_REQUEST');
        throw error;
      }
      const type = headers.get('content-type') ?? '';
      if (type.startsWith('application/json') || type.includes('+json')) {
        try {
          body = raw.length > 0 ? JSON.parse(raw) : undefined;
        } catch {
          return errorResponse(res, 400, 'Request body is not valid JSON', 'BAD_REQUEST');
        }
      } else {
        body = raw;
      }
    }
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: query >= 0 ? url.slice(query + 1) : '',
      body,
    };
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: () => options.context(req),
    });
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
