import { data } from 'react-router';
import { describeError, type ShopError } from './errors.ts';

const STATUS: Partial<Record<ShopError['code'], number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  NETWORK: 503,
};

/**
 * What a loader throws when its query fails: the error in the shopper's words with a fitting
 * status, for the error boundary (a thrown Error would reach it as "Unexpected Server Error").
 */
export function loaderFailure(error: unknown) {
  const shopError = describeError(error);
  return data(shopError, { status: STATUS[shopError.code] ?? 502 });
}

export const notFound = () =>
  data<ShopError>({ code: 'NOT_FOUND', message: 'Not found' }, { status: 404 });

export function isShopError(value: unknown): value is ShopError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ShopError).code === 'string' &&
    typeof (value as ShopError).message === 'string'
  );
}
