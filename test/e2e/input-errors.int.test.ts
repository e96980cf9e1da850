import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSupergraph, testEnv, type RunningSupergraph } from '@shop/testing';

const env = testEnv(inject('stack'));
let sg: RunningSupergraph;

beforeAll(async () => {
  sg = await startSupergraph(env);
});
afterAll(async () => {
  await sg?.close();
});

/** The raw answer: these tests look for values anywhere in the body, not only in messages. */
async function post(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as any };
}

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken } }`;

describe('text no service can store (NUL, unpaired surrogates)', () => {
  it('refuses it in an inline query argument with BAD_USER_INPUT naming the argument', async () => {
    const res = await post(
      sg.gatewayUrl,
      '{ products(filter: { text: "reel\\u0000XYZZY" }) { totalCount } }',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNSTORABLE_TEXT',
    });
    expect(res.body.errors[0].message).toContain('"filter" of "products" at "filter.text"');
    expect(res.text).not.toContain('XYZZY');
  });

  it('refuses it in mutation variables (login, register), naming the variable and field', async () => {
    const login = await post(sg.gatewayUrl, LOGIN, {
      email: `nul\u0000${randomUUID()}@example.com`,
      password: 'a-long-enough-passphrase',
    });
    expect(login.status).toBe(400);
    expect(login.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(login.body.errors[0].message).toMatch(/^Variable "\$email" contains a NUL/);

    const secret = `pass-\uD800-${randomUUID()}`;
    const register = await post(sg.gatewayUrl, REGISTER, {
      input: { email: `${randomUUID()}@example.com`, password: secret, name: 'Nul Tester' },
    });
    expect(register.status).toBe(400);
    expect(register.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(register.body.errors[0].message).toMatch(/^Variable "\$input" at "input.password"/);
    expect(register.text).not.toContain(secret.slice(7));
  });

  it('is refused by the subgraphs themselves too (the shared bootstrap installs the check)', async () => {
    const res = await post(
      sg.subgraphUrls.catalog,
      'query ($f: ProductFilter) { products(filter: $f) { totalCount } }',
      { f: { text: 'a\u0000b' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Variable "\$f" at "f.text" contains a NUL/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('input coercion errors never repeat the submitted values', () => {
  const password = `Hunter2-${randomUUID()}`;

  it('register with a missing or mistyped field names the field, not the password', async () => {
    const email = `${randomUUID()}@example.com`;
    for (const input of [
      { email, password },
      { email, password, name: 42 },
      { email, password, name: 'A', nickname: password },
      { email, password: { value: password }, name: 'A' },
    ]) {
      const res = await post(sg.gatewayUrl, REGISTER, { input });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/^Variable "\$input" got an invalid value/);
      expect(res.text).not.toContain(password);
      expect(res.text).not.toContain(email);
    }
  });

  it('login with a password of the wrong type names the variable, not the password', async () => {
    for (const wrong of [{ secret: password }, [password], 20260101]) {
      const res = await post(sg.gatewayUrl, LOGIN, { email: 'a@example.com', password: wrong });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        message:
          'Variable "$password" got an invalid value: String cannot represent a value that is not a string.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(res.text).not.toContain(password);
      expect(res.text).not.toContain('20260101');
    }
  });

  it('an inline literal of the wrong type names the type, not the value', async () => {
    const res = await post(
      sg.gatewayUrl,
      `mutation { login(email: "a@example.com", password: 20260101) { accessToken } }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.text).not.toContain('20260101');
  });
});
