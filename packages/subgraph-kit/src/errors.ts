import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { BusyError } from './admission.ts';
import { DomainError, ERROR_CODES, type ErrorCode } from './domain-error.ts';
import { withoutInputValues } from './input-error-messages.ts';
import { forgetStack, withoutStackTrace } from './stack-traces.ts';

const CONTRACT_CODES = new Set<string>(ERROR_CODES);
/** Apollo's own client-error codes, reported to clients as the contract's BAD_USER_INPUT. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);
/**
 * Protocol codes that clients act on (APQ retries with the full query, a subscription ended by
 * a schema reload is made again), passed as they are.
 */
const PROTOCOL_CODES = new Set([
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'SUBSCRIPTION_SCHEMA_RELOAD',
]);

/** A refusal as the client sees it; answered by design, so with no stack (stack-traces.ts). */
export function contractError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return forgetStack(
    withoutStackTrace(() => new GraphQLError(message, { extensions: { ...extensions, code } })),
  );
}

export const badUserInput = (message: string, field?: string) =>
  contractError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (message: string) => contractError('NOT_FOUND', message);
export const unauthenticated = (message = 'Sign in to do this') =>
  contractError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this') =>
  contractError('FORBIDDEN', message);

/**
 * A domain refusal as the client sees it: its message, its details as extensions (the ones
 * given) and its code. The one translation of DomainError to GraphQL.
 */
function domainErrorExtensions(error: DomainError): Record<string, unknown> {
  const details = Object.entries(error.details).filter(([, value]) => value !== undefined);
  return { ...Object.fromEntries(details), code: error.code };
}

/**
 * The DomainError under the GraphQLError that graphql-js wraps a resolver's error in. Walked by
 * `originalError` rather than with unwrapResolverError's instanceof GraphQLError, since
 * graphql's ESM and CommonJS builds both circulate.
 */
function domainErrorIn(error: unknown): DomainError | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; depth++) {
    if (e instanceof DomainError) return e;
    e = (e as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * Everything that leaves a service carries a contract code and a human message: a DomainError
 * its own; anything unexpected (a bug, a SQL error) is logged in full and reported as
 * INTERNAL_SERVER_ERROR with a generic message, so no stack, SQL or internal detail reaches a
 * client.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (error: unknown) => void,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  // graphql-js echoes submitted values in its input errors; clients get the reason only.
  const message = withoutInputValues(formatted.message);
  const domainError = domainErrorIn(error);
  if (domainError) return { ...formatted, message, extensions: domainErrorExtensions(domainError) };
  if (
    typeof code === 'string' &&
    ((CONTRACT_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') || PROTOCOL_CODES.has(code))
  ) {
    return { ...formatted, message, extensions };
  }
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    return {
      ...formatted,
      message,
      extensions: { ...extensions, code: 'BAD_USER_INPUT', reason: code },
    };
  }
  // Apollo labels every code-less error INTERNAL_SERVER_ERROR before formatError sees it.
  if (
    (code === undefined || code === 'INTERNAL_SERVER_ERROR') &&
    isRequestLevelGraphQLError(error, formatted)
  ) {
    return { ...formatted, message, extensions: { ...extensions, code: 'BAD_USER_INPUT' } };
  }
  const cause = unwrapResolverError(error);
  // An admission refusal is the overload plan working, and logging a stack for each one would
  // spend CPU exactly when there is none to spare; a database that had no connection is logged.
  if (!(cause instanceof BusyError)) log(cause);
  if (isBusyError(cause))
    return {
      message: `The service is busy; retry in ${BUSY_RETRY_AFTER_SECONDS} s`,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'RATE_LIMITED', retryAfter: BUSY_RETRY_AFTER_SECONDS },
    };
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * A request refused because the service is saturated, not broken: its admission queue was full
 * (BusyError), or every database connection stayed busy for longer than the wait allows
 * (Prisma's P2028 "unable to start a transaction in the given time", node-postgres' pool
 * checkout timeout). Nothing was written, so the client may
 * retry: it gets RATE_LIMITED with `retryAfter` instead of an internal error.
 */
export function isBusyError(error: unknown): boolean {
  // Walks wrappers (a resolver's GraphQLError, an error's cause) down to the database's error.
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, originalError, cause } = e as Record<string, unknown>;
    if (code === 'P2028' || code === 'SERVICE_BUSY') return true;
    if (typeof message === 'string' && message.includes('timeout exceeded when trying to connect'))
      return true;
    e = originalError ?? cause;
  }
  return false;
}

/**
 * Apollo reports some request problems (an APQ hash that does not match its query, for one) as
 * bare GraphQLErrors: no code, no path, nothing underneath. Those describe the request, not a
 * failure of ours. Duck-typed because graphql's ESM and CommonJS builds both circulate.
 */
function isRequestLevelGraphQLError(error: unknown, formatted: GraphQLFormattedError): boolean {
  if (formatted.path || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; originalError?: unknown };
  return e.name === 'GraphQLError' && (e.originalError === undefined || e.originalError === null);
}
