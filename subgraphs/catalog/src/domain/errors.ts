/**
 * Errors of the catalog's rules. They carry a contract code in `extensions` (graphql-js copies
 * an original error's `extensions` onto the GraphQL error), so resolvers can let them through
 * without the domain importing GraphQL.
 */
export type CatalogErrorCode =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

export class CatalogError extends Error {
  readonly extensions: { code: CatalogErrorCode; field?: string };

  constructor(code: CatalogErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'CatalogError';
    this.extensions = field ? { code, field } : { code };
  }
}

export const invalid = (field: string, message: string) =>
  new CatalogError('BAD_USER_INPUT', message, field);
