import type { DocumentNode } from 'graphql';
import { operationText } from '../app/graphql/operation-text.ts';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GatewayError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export type GatewayResult<T> =
  { data: T; errors?: undefined } | { data?: null; errors: GatewayError[] };

/** Thrown when the gateway cannot be reached or answers something that is not GraphQL. */
export class GatewayUnavailable extends Error {}

const printed = new WeakMap<DocumentNode, string>();

/** One GraphQL request from this server to the gateway (the session endpoints' calls). */
export async function gatewayRequest<T, V>(
  endpoint: string,
  document: TypedDocumentNode<T, V>,
  variables: V,
  options: { authorization?: string; forwardedFor?: string; timeoutMs: number },
): Promise<GatewayResult<T>> {
  let query = printed.get(document);
  // As Apollo Client sends it: the text the trusted documents list holds.
  if (query === undefined) printed.set(document, (query = operationText(document)));
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options.authorization ? { authorization: options.authorization } : {}),
        ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new GatewayUnavailable(`gateway unreachable: ${(error as Error).message}`);
  }
  let body: { data?: T | null; errors?: GatewayError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GatewayUnavailable(`gateway answered ${response.status} without a GraphQL body`);
  }
  if (body.errors?.length) return { data: null, errors: body.errors };
  if (body.data == null) throw new GatewayUnavailable('gateway answered neither data nor errors');
  return { data: body.data };
}
