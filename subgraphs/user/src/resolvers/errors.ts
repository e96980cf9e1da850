import type { GraphQLError } from 'graphql';
import { contractError } from '@shop/subgraph-kit';
import { AuthError } from '../domain/errors.ts';

/** Domain errors as the contract's codes; anything else is left to the masking (500, logged). */
export function toContractError(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  const { field, retryAfterSeconds } = error.details;
  const fieldExt = field ? { field } : {};
  const map: Record<AuthError['kind'], () => GraphQLError> = {
    'invalid-input': () => contractError('BAD_USER_INPUT', error.message, fieldExt),
    'email-taken': () => contractError('CONFLICT', error.message, fieldExt),
    'invalid-credentials': () => contractError('UNAUTHENTICATED', error.message),
    'invalid-refresh-token': () => contractError('UNAUTHENTICATED', error.message),
    'not-signed-in': () => contractError('UNAUTHENTICATED', error.message),
    'not-found': () => contractError('NOT_FOUND', error.message),
    'rate-limited': () =>
      contractError('RATE_LIMITED', error.message, { retryAfter: retryAfterSeconds ?? 1 }),
  };
  return map[error.kind]();
}

/** Runs a use case, translating its domain errors. */
export async function run<T>(useCase: () => Promise<T>): Promise<T> {
  try {
    return await useCase();
  } catch (error) {
    throw toContractError(error);
  }
}
