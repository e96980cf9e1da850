import { describe, expect, it } from 'vitest';
import { maskError } from '../src/index.ts';

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
});
