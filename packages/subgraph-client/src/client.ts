import type http from 'node:http';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@shop/auth';
import {
  SubgraphResponseError,
  SubgraphUnavailableError,
  type GraphQLErrorBody,
} from './errors.ts';
import { isStaleSocketError, keepAliveAgent, post } from './http-transport.ts';

export interface SubgraphClientOptions {
  /** Name of the called service, used in errors and logs (for example "catalog"). */
  service: string;
  /** The peer's GraphQL endpoint, for example http://127.0.0.1:4001/graphql. */
  url: string;
  /** Whole-request deadline; the default suits a peer on the same network. */
  timeoutMs?: number;
  /** Connections kept open to the peer. */
  maxSockets?: number;
  maxResponseBytes?: number;
  /** Needed only to call on a user's behalf (`request(..., { as: identity })`). */
  internalAuthSecret?: string;
}

export interface RequestOptions {
  /** Calls with this identity, signed like the gateway signs it, so the peer applies its rules. */
  as?: Identity;
  /** Read-only operations are retried once when a reused connection was already closed. */
  idempotent?: boolean;
}

/**
 * A small typed GraphQL client for service-to-service calls: keep-alive connections, a
 * deadline per request, one retry of read-only calls on a stale socket, and errors that say
 * which service failed and why (SubgraphUnavailableError / SubgraphResponseError).
 */
export class SubgraphClient {
  readonly service: string;
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: SubgraphClientOptions) {
    this.service = options.service;
    this.url = new URL(options.url);
    this.agent = keepAliveAgent(this.url, options.maxSockets ?? 32);
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.maxResponseBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;
  }

  async request<TData, TVariables extends Record<string, unknown> = Record<string, unknown>>(
    query: string,
    variables?: TVariables,
    options: RequestOptions = {},
  ): Promise<TData> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.as) {
      if (!this.options.internalAuthSecret)
        throw new Error(`${this.service} client: internalAuthSecret is needed to call as a user`);
      headers[IDENTITY_HEADER] = signIdentity(options.as, this.options.internalAuthSecret);
    }
    const body = JSON.stringify({ query, variables: variables ?? {} });
    const postOptions = {
      headers,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: this.maxResponseBytes,
    };
    let response;
    try {
      response = await post(this.url, this.agent, body, postOptions).catch((error: unknown) => {
        if (options.idempotent !== false && isStaleSocketError(error))
          return post(this.url, this.agent, body, postOptions);
        throw error;
      });
    } catch (error) {
      throw new SubgraphUnavailableError(
        this.service,
        `unreachable at ${this.url.href} (${describe(error)})`,
        { cause: error },
      );
    }
    let parsed: { data?: TData | null; errors?: GraphQLErrorBody[] };
    try {
      parsed = JSON.parse(response.body) as typeof parsed;
    } catch (error) {
      throw new SubgraphUnavailableError(
        this.service,
        `answered HTTP ${response.status} without a GraphQL body`,
        { cause: error },
      );
    }
    if (parsed.errors?.length) throw new SubgraphResponseError(this.service, parsed.errors);
    if (parsed.data === undefined || parsed.data === null)
      throw new SubgraphUnavailableError(
        this.service,
        `answered HTTP ${response.status} with no data`,
      );
    return parsed.data;
  }

  /** Closes the kept-alive connections (call on shutdown). */
  close(): void {
    this.agent.destroy();
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code)
    return `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}`;
  if (e instanceof AggregateError && e.errors.length) return describe(e.errors[0]);
  return e?.message ?? String(error);
}
