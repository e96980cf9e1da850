import { DomainError } from '@shop/subgraph-kit';

/** An input the catalog's rules refuse, naming the argument or input field at fault. */
export const invalid = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field });
