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
  /** The request's context; it sees the request as Apollo Server will (body parsed, query string). */
  context: (req: http.IncomingMessage, request: HTTPGraphQLRequest) => Promise<C>;
  /**
   * Incremental delivery (@defer): the payloads that follow this request's first answer, when
   * its execution left some. The answer is then sent as `multipart/mixed` parts.
   */
  subsequentPayloads?: (context: C) => AsyncIterable<object> | undefined;
}

/** Apollo Client and the Router's format for incremental delivery over HTTP. */
const BOUNDARY = 'graphql';
const part = (json: string) =>
  `\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}`;

async function writeMultipart(
  res: http.ServerResponse,
  headers: Record<string, string>,
  first: string,
  rest: AsyncIterable<object>,
): Promise<void> {
  const { 'content-length': _length, ...kept } = headers;
  res.writeHead(200, {
    ...kept,
    'content-type': `multipart/mixed; boundary="${BOUNDARY}"; deferSpec=20220824`,
  });
  res.write(part(JSON.stringify({ ...(JSON.parse(first) as object), hasNext: true })));
  for await (const payload of rest) {
    if (res.destroyed) continue;
    res.write(part(JSON.stringify(payload)));
  }
  res.end(`\r\n--${BOUNDARY}--\r\n`);
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
 * The status of a request error in a JSON request (parameters that are not a GraphQL request, a
 * document that does not parse or validate, variables that do not coerce) as the answer's media
 * type wants it (GraphQL over HTTP): 200 with the errors under plain `application/json`, chosen
 * by a client that did not ask for `application/graphql-response+json` and reads the body; 400
 * under the latter. A body that is not JSON, or no JSON body at all (a simple request refused
 * against CSRF, a POST without a content type), keeps its 400.
 */
function requestErrorStatus(
  status: number,
  jsonRequest: boolean,
  contentType: string | undefined,
  body: string,
): number {
  if (status !== 400 || !jsonRequest || !contentType?.startsWith('application/json')) return status;
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? 200 : status;
  } catch {
    return status;
  }
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
    let context: C | undefined;
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => (context = await options.context(req, httpGraphQLRequest)),
    });
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    const rest = context && options.subsequentPayloads?.(context);
    if (rest && response.body.kind === 'complete')
      return writeMultipart(res, outHeaders, response.body.string, rest);
    if (response.body.kind === 'complete') {
      res.writeHead(
        requestErrorStatus(
          response.status ?? 200,
          body !== undefined && typeof body !== 'string',
          outHeaders['content-type'],
          response.body.string,
        ),
        outHeaders,
      );
      res.end(response.body.string);
      return;
    }
    res.writeHead(response.status ?? 200, outHeaders);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
