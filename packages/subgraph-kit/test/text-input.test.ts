import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { findUnstorableText, isStorableText, unstorableTextError } from '../src/index.ts';

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates, accepts any real character', () => {
    expect(isStorableText('Shimano Stradic 2500 🎣 Ångström')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\uD800b')).toBe(false);
    expect(isStorableText('a\uDC00')).toBe(false);
    expect(isStorableText('\uD83C\uDFA3')).toBe(true);
  });
});

describe('findUnstorableText', () => {
  const find = (query: string, variables?: Record<string, unknown>) =>
    findUnstorableText(parse(query), variables);

  it('names the variable and the path inside it', () => {
    const login =
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
    expect(find(login, { email: 'a\u0000@example.com', password: 'x' })).toBe('Variable "$email"');
    expect(
      find('mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }', {
        input: { email: 'a@example.com', password: 'x\uD800', name: 'A' },
      }),
    ).toBe('Variable "$input" at "input.password"');
    expect(find('query ($ids: [ID!]!) { a(ids: $ids) }', { ids: ['1', 'x\u0000'] })).toBe(
      'Variable "$ids" at "ids[1]"',
    );
  });

  it('never prints a key that is not a GraphQL name (it could be anything the client sent)', () => {
    expect(
      find('query ($input: RegisterInput!) { a(input: $input) }', {
        input: { 'my secret key': { x: '\u0000' } },
      }),
    ).toBe('Variable "$input" at "input.?.x"');
  });

  it('names the argument and the path of an inline literal, in fields, fragments and directives', () => {
    expect(find('{ products(filter: { text: "a\\u0000b" }) { totalCount } }')).toBe(
      'Argument "filter" of "products" at "filter.text"',
    );
    expect(
      find(
        '{ ...F } fragment F on Query { product(id: "1") { reviews(after: "\\u0000") { totalCount } } }',
      ),
    ).toBe('Argument "after" of "reviews" at "after"');
    expect(find('{ a @include(if: true) @x(s: ["ok", "\\u0000"]) }')).toBe(
      'Argument "s" of @x at "s[1]"',
    );
    expect(find('query ($t: String = "\\u0000") { a(t: $t) }')).toBe('The default value of "$t"');
  });

  it('finds nothing in ordinary requests', () => {
    expect(
      find(
        'query ($f: ProductFilter) { products(filter: $f, first: 2) { edges { node { id } } } }',
        {
          f: { text: 'spinning reel', minPrice: '10.00', categoryId: null },
        },
      ),
    ).toBeUndefined();
  });

  it('never puts the value in the error', () => {
    const error = unstorableTextError('Variable "$password"');
    expect(error.message).toMatch(/^Variable "\$password" contains a NUL character/);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNSTORABLE_TEXT' });
  });
});
