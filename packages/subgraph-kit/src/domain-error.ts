import { StacklessError } from './stack-traces.ts';

/**
 * The stable error codes of the public contract (DESIGN.md); clients switch on these. Kept
 * free of GraphQL so that domain code can name them.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'OUT_OF_STOCK',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a rule can refuse with: an unexpected failure is not a domain error. */
export type DomainErrorCode = Exclude<ErrorCode, 'INTERNAL_SERVER_ERROR'>;

/**
 * What a client may learn beside the code, sent as extensions: `field` (the argument or input
 * field at fault), `retryAfter` (seconds), `status` (an order's status) and the like. Entries
 * left undefined are not sent.
 */
export type DomainErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * The one error type of every subgraph's rules and use cases: a refusal the client caused or
 * can act on, with its contract code and a message written for the client. Free of GraphQL;
 * maskError (errors.ts) is the one place that turns it into the GraphQL error clients see, so
 * resolvers let it through. Anything else thrown stays an internal error (logged, masked).
 */
export class DomainError extends StacklessError {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    // A refusal by design: its stack would only show the rule that refused (stack-traces.ts).
    super(message);
    this.name = 'DomainError';
  }
}
