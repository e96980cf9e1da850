import { DomainError } from '@shop/subgraph-kit';

/** An input the account rules refuse, naming the input field at fault. */
export const invalidInput = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field });

/** The one message for every failed login: it never tells which of the two was wrong. */
export const INVALID_CREDENTIALS = 'Email or password is incorrect';
