import type {
  Fetcher,
  FetcherHeaders,
  FetcherRequestInit,
  FetcherResponse,
} from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';
import { IDENTITY_HEADER } from '@shop/auth';

/**
 * How the gateway reaches subgraphs. The stock data source fetches through make-fetch-happen
 * (an HTTP cache layer, a Request object per call); this one goes straight to undici's pooled
 * keep-alive connections, and lets identical queries that are in flight at the same time share
 * one subgraph call: N storefront visitors asking for the same product list within the same
 * milliseconds cost the catalog one query, not N. Mutations are never shared.
 */
export interface SubgraphFetcherOptions {
  /** Share identical in-flight queries (same subgraph, document, variables and identity). */
  deduplicate: boolean;
  /** Per-call limit; a subgraph that does not answer fails the fetch instead of hanging it. */
  timeoutMs: number;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

class SharedHeaders implements FetcherHeaders {
  constructor(private readonly all: Record<string, string>) {}
  get(name: string) {
    return this.all[name.toLowerCase()] ?? null;
  }
  has(name: string) {
    return name.toLowerCase() in this.all;
  }
  append(): void {
    throw new Error('read-only headers');
  }
  set(): void {
    throw new Error('read-only headers');
  }
  delete(): void {
    throw new Error('read-only headers');
  }
  entries(): IterableIterator<[string, string]> {
    return Object.entries(this.all)[Symbol.iterator]();
  }
  keys(): IterableIterator<string> {
    return Object.keys(this.all)[Symbol.iterator]();
  }
  values(): IterableIterator<string> {
    return Object.values(this.all)[Symbol.iterator]();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** Each consumer parses the shared text itself: the gateway merges results into what it parsed. */
function toFetcherResponse(url: string, raw: RawResponse): FetcherResponse {
  const response: FetcherResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status: raw.status,
    ok: raw.status >= 200 && raw.status < 300,
    statusText: String(raw.status),
    headers: new SharedHeaders(raw.headers),
    text: async () => raw.body,
    json: async () => JSON.parse(raw.body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(raw.body).buffer as ArrayBuffer,
    clone: () => toFetcherResponse(url, raw),
  };
  return response;
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const isMutation = (body: string) => /^\{"query":"\s*mutation\b/.test(body);

export function createSubgraphFetcher(
  options: SubgraphFetcherOptions,
): Fetcher & { close(): Promise<void> } {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256, pipelining: 1 });
  const inFlight = new Map<string, Promise<RawResponse>>();

  async function send(url: string, init: FetcherRequestInit): Promise<RawResponse> {
    const response = await request(url, {
      method: 'POST',
      headers: init.headers as Record<string, string>,
      body: init.body as string,
      dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: await response.body.text(),
    };
  }

  const fetcher = async (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
    const body = typeof init.body === 'string' ? init.body : '';
    if (!options.deduplicate || isMutation(body))
      return toFetcherResponse(url, await send(url, init));
    // The signed identity changes every second (it carries its signing time); the part before
    // the signature names the caller, so equal keys mean the same caller and the same request.
    const identity =
      (init.headers as Record<string, string> | undefined)?.[IDENTITY_HEADER]?.split('.')[0] ?? '';
    const key = `${url}\n${identity}\n${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = send(url, init).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return toFetcherResponse(url, await shared);
  };
  return Object.assign(fetcher, { close: () => dispatcher.close() });
}
