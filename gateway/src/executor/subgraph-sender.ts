import type { Fetcher } from '@apollo/utils.fetcher';
import type { GatewayCachePolicy } from '@apollo/server-gateway-interface';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';
import { internalHeaders } from '../authenticate.ts';
import type { GatewayContext } from '../context.ts';
import type { SendToSubgraph, SubgraphResponse } from './plan-executor.ts';

const { GraphQLError: GraphQLErrorClass } = graphqlJs;

/** A subgraph's `Cache-Control` as a hint: no max-age means its part is not cacheable. */
function restrictCachePolicy(policy: GatewayCachePolicy, header: string | null): void {
  let maxAge = 0;
  let scope: 'PUBLIC' | 'PRIVATE' | undefined;
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=', 2);
    const directive = name?.toLowerCase();
    if (directive === 'max-age' && value && /^[0-9]+$/.test(value.replace(/^"|"$/g, '')))
      maxAge = Number(value.replace(/^"|"$/g, ''));
    else if (directive === 'private') scope = 'PRIVATE';
    else if (directive === 'public') scope = 'PUBLIC';
  }
  policy.restrict(scope ? { maxAge, scope } : { maxAge });
}

function statusError(status: number, body: string): InstanceType<typeof GraphQLErrorClass> {
  const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : undefined;
  return new GraphQLErrorClass(`${status}: subgraph answered ${status}`, {
    extensions: { ...(code ? { code } : {}), response: { status, body: body.slice(0, 500) } },
  });
}

export interface SubgraphSenderOptions {
  fetcher: Fetcher;
  /** Signs the caller's identity and address for the subgraphs (INTERNAL_AUTH_SECRET). */
  secret: string;
}

/**
 * Sends one subgraph call for one client request: the caller travels as signed headers (client
 * headers never pass), and each answer's Cache-Control narrows the request's cache policy.
 */
export function subgraphSender(
  options: SubgraphSenderOptions,
  /** Each subgraph's URL (the supergraph's join__graph entries: SupergraphRuntime.urls). */
  urls: ReadonlyMap<string, string>,
  context: Partial<GatewayContext>,
  cachePolicy?: GatewayCachePolicy,
): SendToSubgraph {
  let headers: Record<string, string> | undefined;
  return async (serviceName, request) => {
    const url = urls.get(serviceName);
    if (!url) throw new Error(`Couldn't find service with name "${serviceName}"`);
    headers ??= {
      'content-type': 'application/json',
      ...internalHeaders(
        { identity: context.identity ?? null, clientAddress: context.clientAddress ?? null },
        options.secret,
      ),
    };
    const response = await options.fetcher(url, {
      method: 'POST',
      headers,
      // `query` first: the fetcher recognizes mutations (never shared) by the body's start.
      body: JSON.stringify({
        query: request.query,
        variables: request.variables,
        operationName: request.operationName,
      }),
    });
    const text = await response.text();
    if (!response.ok) throw statusError(response.status, text);
    const type = response.headers.get('content-type') ?? '';
    if (
      !type.startsWith('application/json') &&
      !type.startsWith('application/graphql-response+json')
    )
      throw new Error(`Expected JSON response body, but received: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new Error('Expected a JSON object from the subgraph');
    if (cachePolicy) restrictCachePolicy(cachePolicy, response.headers.get('cache-control'));
    return body as SubgraphResponse;
  };
}
