/**
 * What can go wrong in the user service's use cases, in domain terms; resolvers translate these
 * to the contract's error codes (resolvers/errors.ts).
 */
export type AuthErrorKind =
  | 'invalid-input'
  | 'email-taken'
  | 'invalid-credentials'
  | 'invalid-refresh-token'
  | 'rate-limited'
  | 'not-signed-in'
  | 'not-found';

export class AuthError extends Error {
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    readonly details: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const invalidInput = (field: string, message: string) =>
  new AuthError('invalid-input', message, { field });

/** The one message for every failed login: it never tells which of the two was wrong. */
export const INVALID_CREDENTIALS = 'Email or password is incorrect';
