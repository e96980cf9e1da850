import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { BusyError, DomainError, maskError } from '../src/index.ts';

describe('maskError', () => {
  it('keeps contract codes and their messages, drops stack traces', () => {
    const logged: unknown[] = [];
    const out = maskError(
      {
        message: 'quantity must be positive',
        extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at x'] },
      },
      new Error('x'),
      (e) => logged.push(e),
    );
    expect(out).toEqual({
      message: 'quantity must be positive',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(logged).toHaveLength(0);
  });

  it('reports GraphQL validation failures as BAD_USER_INPUT', () => {
    const out = maskError(
      { message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      null,
      () => {},
    );
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('keeps the APQ protocol code that clients retry on', () => {
    const out = maskError(
      { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      null,
      () => {},
    );
    expect(out.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  });

  it('reports request-level errors without a code (APQ hash mismatch) as BAD_USER_INPUT', () => {
    const error = new GraphQLError('provided sha does not match query');
    expect(maskError({ message: error.message }, error, () => {})).toEqual({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('still hides a code-less error that wraps an internal failure', () => {
    const error = new GraphQLError('relation missing', {
      originalError: new Error('relation missing'),
    });
    expect(maskError({ message: error.message }, error, () => {}).extensions?.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it('hides unexpected errors behind a generic message and logs the original', () => {
    const original = new Error('relation "products" does not exist');
    const logged: unknown[] = [];
    const out = maskError({ message: original.message, path: ['product'] }, original, (e) =>
      logged.push(e),
    );
    expect(out).toEqual({
      message: 'Internal server error',
      path: ['product'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toEqual([original]);
  });

  it('answers RATE_LIMITED with retryAfter when the database had no connection free in time', () => {
    const logged: unknown[] = [];
    const saturated = Object.assign(
      new Error('Transaction API error: Unable to start a transaction in the given time.'),
      { code: 'P2028' },
    );
    const out = maskError(
      { message: saturated.message, path: ['placeOrder'] },
      new GraphQLError(saturated.message, { originalError: saturated, path: ['placeOrder'] }),
      (e) => logged.push(e),
    );
    expect(out).toEqual({
      message: 'The service is busy; retry in 1 s',
      path: ['placeOrder'],
      extensions: { code: 'RATE_LIMITED', retryAfter: 1 },
    });
    expect(logged).toHaveLength(1); // still logged: a saturated service is worth an alert
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    expect(maskError({ message: 'x' }, poolTimeout, () => {}).extensions?.code).toBe(
      'RATE_LIMITED',
    );
    const refusals: unknown[] = [];
    const refused = maskError({ message: 'x' }, new BusyError('placeOrder'), (e) =>
      refusals.push(e),
    );
    expect(refused.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(refusals).toEqual([]);
    expect(maskError({ message: 'x' }, new Error('deadlock'), () => {}).extensions?.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it('translates a DomainError a resolver threw: its message, details and code, not logged', () => {
    const logged: unknown[] = [];
    const refusal = new DomainError('RATE_LIMITED', 'Too many attempts; try again in 7 s', {
      retryAfter: 7,
      field: undefined,
    });
    // As Apollo hands it over: graphql-js's wrapper (with the path), formatted without a code
    // of its own, so Apollo has labelled it INTERNAL_SERVER_ERROR.
    const wrapped = new GraphQLError(refusal.message, { originalError: refusal, path: ['login'] });
    const out = maskError(
      { message: refusal.message, path: ['login'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      wrapped,
      (e) => logged.push(e),
    );
    expect(out).toEqual({
      message: 'Too many attempts; try again in 7 s',
      path: ['login'],
      extensions: { retryAfter: 7, code: 'RATE_LIMITED' },
    });
    expect(logged).toEqual([]);
    const conflict = new DomainError('CONFLICT', 'The order is already CANCELLED', {
      status: 'CANCELLED',
    });
    expect(maskError({ message: conflict.message }, conflict, () => {}).extensions).toEqual({
      status: 'CANCELLED',
      code: 'CONFLICT',
    });
  });
});
