import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/** The contract's error codes (DESIGN.md), plus NETWORK for a store that cannot be reached. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'OUT_OF_STOCK'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK';

export interface ShopError {
  code: ErrorCode;
  /** What the shopper reads. */
  message: string;
  /** The input field the error is about, when the API names one. */
  field?: string;
  /** Seconds to wait before trying again (RATE_LIMITED). */
  retryAfter?: number;
}

/** A human message for every code, used where the API's own message is not for shoppers. */
export const MESSAGES: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'Please check what you entered.',
  UNAUTHENTICATED: 'Please sign in to continue.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  CONFLICT: 'That clashes with something that already exists or has changed meanwhile.',
  OUT_OF_STOCK: 'Not enough of this product is in stock.',
  RATE_LIMITED: 'The store is busy right now. Please try again in a moment.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK: 'The store cannot be reached. Check your connection; we will keep trying.',
};

/**
 * Codes whose API messages are written for the person who sent the request (which field is
 * wrong, which review exists, how many units are left); the others get the fixed text above.
 */
const SPECIFIC: ReadonlySet<ErrorCode> = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'OUT_OF_STOCK',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
]);

const KNOWN = new Set<string>(Object.keys(MESSAGES));

interface FormattedError {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

export function fromFormattedError(error: FormattedError | undefined): ShopError {
  const raw = error?.extensions?.code;
  const code: ErrorCode =
    typeof raw === 'string' && KNOWN.has(raw) ? (raw as ErrorCode) : 'INTERNAL_SERVER_ERROR';
  const shopError: ShopError = {
    code,
    message: SPECIFIC.has(code) && error?.message ? error.message : MESSAGES[code],
  };
  const field = error?.extensions?.field;
  if (typeof field === 'string') shopError.field = field;
  const retryAfter = error?.extensions?.retryAfter;
  if (typeof retryAfter === 'number' && retryAfter > 0) shopError.retryAfter = retryAfter;
  return shopError;
}

/** Anything an Apollo hook, a fetch or the session endpoints throw, as one shape. */
export function describeError(error: unknown): ShopError {
  if (CombinedGraphQLErrors.is(error)) return fromFormattedError(error.errors[0]);
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: FormattedError[] };
      if (body.errors?.length) return fromFormattedError(body.errors[0]);
    } catch {
      // not a GraphQL body: fall through to the status
    }
    if (error.statusCode === 429) return { code: 'RATE_LIMITED', message: MESSAGES.RATE_LIMITED };
    if (error.statusCode >= 500)
      return { code: 'INTERNAL_SERVER_ERROR', message: MESSAGES.INTERNAL_SERVER_ERROR };
    return { code: 'INTERNAL_SERVER_ERROR', message: MESSAGES.INTERNAL_SERVER_ERROR };
  }
  if (ServerParseError.is(error))
    return { code: 'INTERNAL_SERVER_ERROR', message: MESSAGES.INTERNAL_SERVER_ERROR };
  if (error instanceof SessionRequestError) return error.shopError;
  if (isNetworkFailure(error)) return { code: 'NETWORK', message: MESSAGES.NETWORK };
  return { code: 'INTERNAL_SERVER_ERROR', message: MESSAGES.INTERNAL_SERVER_ERROR };
}

/** fetch rejects with a TypeError when the network fails (offline, refused, reset). */
export function isNetworkFailure(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}

/** The session endpoints' errors (same body shape as GraphQL errors). */
export class SessionRequestError extends Error {
  constructor(readonly shopError: ShopError) {
    super(shopError.message);
    this.name = 'SessionRequestError';
  }
}
