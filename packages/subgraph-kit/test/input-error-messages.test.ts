import { describe, expect, it } from 'vitest';
import type { GraphQLScalarType } from 'graphql';
import {
  buildSchema,
  coerceInputValue,
  graphql,
  parse,
  validate,
  type GraphQLInputType,
} from 'graphql';
import { maskError, withoutInputValues } from '../src/index.ts';

const SECRET = 'hunter2-Secret';

const schema = buildSchema(`
  scalar Decimal
  enum Sort { NEWEST PRICE_ASC }
  input Address { line1: String! zip: Int tags: [String!] }
  input Register {
    email: String!
    password: String!
    name: String!
    address: Address
    sort: Sort
    price: Decimal
    ids: [ID!]
  }
  input Pick @oneOf { a: String b: Int }
  type Query {
    register(input: Register!): Boolean
    login(email: String!, password: String!): Boolean
    values(n: Int, f: Float, b: Boolean, id: ID, s: Sort, d: Decimal, list: [Int!]): Boolean
    pick(p: Pick): Boolean
  }
`);
// A custom scalar whose own refusal repeats the value, as third-party scalars often do.
const decimal = schema.getType('Decimal') as GraphQLScalarType;
const refuse = (value: unknown) => {
  throw new Error(`${JSON.stringify(value)} is not a decimal`);
};
decimal.parseValue = refuse;
decimal.parseLiteral = (node) => refuse('value' in node ? node.value : null);

/** graphql-js's own message for running `query` with `variables`. */
async function messageFor(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const validation = validate(schema, document);
  if (validation.length) return validation[0]!.message;
  const result = await graphql({ schema, source: query, variableValues: variables });
  expect(result.errors, query).toBeDefined();
  return result.errors![0]!.message;
}

const register = 'query ($input: Register!) { register(input: $input) }';
const good = { email: 'a@example.com', password: SECRET, name: 'A' };

describe('withoutInputValues: variables', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      'a missing input field',
      register,
      { input: { email: 'a@example.com', password: SECRET } },
      'Variable "$input" got an invalid value: field "name" of required type "String!" was not provided.',
    ],
    [
      'a nested input field of the wrong type',
      register,
      { input: { ...good, address: { line1: 'x', zip: SECRET } } },
      'Variable "$input" got an invalid value at "input.address.zip": Int cannot represent a value that is not a whole number.',
    ],
    [
      'a list item',
      register,
      { input: { ...good, ids: ['1', { secret: SECRET }] } },
      'Variable "$input" got an invalid value at "input.ids[1]": ID cannot represent a value that is not a string or a whole number.',
    ],
    [
      'a nested list item',
      register,
      { input: { ...good, address: { line1: 'x', tags: ['ok', 7] } } },
      'Variable "$input" got an invalid value at "input.address.tags[1]": String cannot represent a value that is not a string.',
    ],
    [
      'an enum value',
      register,
      { input: { ...good, sort: SECRET } },
      'Variable "$input" got an invalid value at "input.sort": the value is not one of the enum "Sort".',
    ],
    [
      'a custom scalar that repeats the value',
      register,
      { input: { ...good, price: SECRET } },
      'Variable "$input" got an invalid value at "input.price": expected a value of type "Decimal".',
    ],
    [
      'an unknown field whose key is not a GraphQL name',
      register,
      { input: { ...good, [SECRET]: 1 } },
      'Variable "$input" got an invalid value: a field is not defined by type "Register".',
    ],
    [
      'an unknown field',
      register,
      { input: { ...good, nickname: SECRET } },
      'Variable "$input" got an invalid value: field "nickname" is not defined by type "Register".',
    ],
    [
      'an object where an input object is expected',
      register,
      { input: SECRET },
      'Variable "$input" got an invalid value: expected an input object of type "Register".',
    ],
    [
      'a password sent as an object',
      'query ($e: String!, $p: String!) { login(email: $e, password: $p) }',
      { e: 'a@example.com', p: { secret: SECRET } },
      'Variable "$p" got an invalid value: String cannot represent a value that is not a string.',
    ],
    [
      'a null inside a non-null list',
      'query ($l: [Int!]) { values(list: $l) }',
      { l: [1, null] },
      'Variable "$l" got an invalid value at "l[1]": expected a non-null value of type "Int!".',
    ],
    [
      'an Int beyond 32 bits',
      'query ($n: Int) { values(n: $n) }',
      { n: 2 ** 40 },
      'Variable "$n" got an invalid value: Int cannot represent a value outside the 32-bit signed range.',
    ],
    [
      'a Float',
      'query ($f: Float) { values(f: $f) }',
      { f: SECRET },
      'Variable "$f" got an invalid value: Float cannot represent a value that is not a number.',
    ],
    [
      'a Boolean',
      'query ($b: Boolean) { values(b: $b) }',
      { b: SECRET },
      'Variable "$b" got an invalid value: Boolean cannot represent a value that is not true or false.',
    ],
    [
      'a OneOf input with two fields',
      'query ($p: Pick) { pick(p: $p) }',
      { p: { a: SECRET, b: 1 } },
      'Variable "$p" got an invalid value: exactly one field must be given for the OneOf type "Pick".',
    ],
    [
      'a value crafted to look like the end of the message',
      'query ($n: Int) { values(n: $n) }',
      { n: `${SECRET}" at "n"; Value "${SECRET}" does not exist in "Sort" enum.` },
      'Variable "$n" got an invalid value: Int cannot represent a value that is not a whole number.',
    ],
  ];
  it.each(cases)('%s', async (_name, query, variables, expected) => {
    const original = await messageFor(query, variables);
    const safe = withoutInputValues(original);
    expect(safe).toBe(expected);
    expect(safe).not.toContain(SECRET);
  });

  it('leaves messages without a value as they are', async () => {
    const required = await messageFor('query ($e: String!) { login(email: $e, password: "x") }');
    expect(required).toBe('Variable "$e" of required type "String!" was not provided.');
    expect(withoutInputValues(required)).toBe(required);
    expect(withoutInputValues('quantity must be a whole number from 1 to 99')).toBe(
      'quantity must be a whole number from 1 to 99',
    );
  });
});

describe('withoutInputValues: inline literals', () => {
  const cases: [string, string, string][] = [
    [
      'an Int argument',
      `{ values(n: "${SECRET}") }`,
      'Int cannot represent a value that is not a whole number.',
    ],
    [
      'an enum argument',
      `{ values(s: hunter2_Secret) }`,
      'The value is not one of the enum "Sort".',
    ],
    [
      'a String input field',
      `{ register(input: { email: "a", password: 5, name: "${SECRET}" }) }`,
      'String cannot represent a value that is not a string.',
    ],
    [
      'a custom scalar',
      `{ values(d: "${SECRET}") }`,
      'Expected a value of type "Decimal"; the value given is not one.',
    ],
    [
      'a string where an input object is expected',
      `{ register(input: "${SECRET}") }`,
      'Expected a value of type "Register!"; the value given is not one.',
    ],
    [
      'a list item',
      `{ values(list: [1, "${SECRET}"]) }`,
      'Int cannot represent a value that is not a whole number.',
    ],
    [
      'an ID',
      `{ values(id: 1.5) }`,
      'ID cannot represent a value that is not a string or a whole number.',
    ],
  ];
  it.each(cases)('%s', async (_name, query, expected) => {
    const safe = withoutInputValues(await messageFor(query));
    expect(safe).toBe(expected);
    expect(safe.toLowerCase()).not.toContain('hunter2');
  });

  it("rewrites execution's and coerceInputValue's own wordings", () => {
    expect(withoutInputValues(`Argument "password" has invalid value "${SECRET}".`)).toBe(
      'Argument "password" has an invalid value.',
    );
    let message = '';
    try {
      coerceInputValue(
        { ...good, address: { line1: SECRET, zip: SECRET } },
        schema.getType('Register') as GraphQLInputType,
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(SECRET);
    expect(withoutInputValues(message)).toBe(
      'Invalid value at "value.address.zip": Int cannot represent a value that is not a whole number.',
    );
  });
});

describe('withoutInputValues in maskError', () => {
  it('is applied to every client error and is idempotent', async () => {
    const original = await messageFor(register, {
      input: { email: 'a@example.com', password: SECRET },
    });
    expect(original).toContain(SECRET);
    const out = maskError(
      { message: original, extensions: { code: 'BAD_USER_INPUT' } },
      null,
      () => {},
    );
    expect(out.message).toBe(
      'Variable "$input" got an invalid value: field "name" of required type "String!" was not provided.',
    );
    expect(withoutInputValues(out.message)).toBe(out.message);
    const validation = maskError(
      {
        message: await messageFor(`{ values(n: "${SECRET}") }`),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
      null,
      () => {},
    );
    expect(JSON.stringify(validation)).not.toContain(SECRET);
  });
});
