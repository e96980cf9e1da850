import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloClient, HttpLink } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSupergraph, testEnv, trackOrder, type RunningSupergraph } from '@shop/testing';
import { createCache } from '../../storefront/app/apollo/cache.ts';
import {
  CategoryTreeDocument,
  LoginDocument,
  ProductPageDocument,
} from '../../storefront/app/graphql/generated.ts';

const env = testEnv(inject('stack'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const MENU = 'query Menu { categories { id name } }';
const WATCH = 'subscription Watch($id: ID!) { orderUpdated(id: $id) { id status } }';
const UNTRUSTED = '{ sellers { id name } }';
const CLIENT_TOKEN = `trusted-client-${randomUUID()}`;

let production: RunningSupergraph;

beforeAll(async () => {
  // The storefront's manifest as `npm run generate` wrote it, and two operations of the test's.
  const storefront = JSON.parse(
    readFileSync(new URL('../../storefront/trusted-documents.json', import.meta.url), 'utf8'),
  ) as { operations: unknown[] };
  const dir = mkdtempSync(path.join(tmpdir(), 'trusted-documents-'));
  const file = path.join(dir, 'manifest.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        ...storefront.operations,
        { id: sha256(MENU), name: 'Menu', type: 'query', body: MENU },
        { id: sha256(WATCH), name: 'Watch', type: 'subscription', body: WATCH },
      ],
    }),
  );
  production = await startSupergraph(env, {
    gateway: {
      GATEWAY_MODE: 'production',
      TRUSTED_DOCUMENTS_FILE: file,
      TRUSTED_CLIENT_TOKENS: `${randomUUID()}-other-client,${CLIENT_TOKEN}`,
    },
  });
});
afterAll(async () => {
  await production?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(production.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('trusted documents (GATEWAY_MODE=production)', () => {
  it('lets a trusted client run any operation and use persisted queries of its own', async () => {
    const client = { 'x-trusted-client': CLIENT_TOKEN };
    expect((await post({ query: UNTRUSTED })).status).toBe(403);
    const wrong = await post({ query: UNTRUSTED }, { 'x-trusted-client': `${CLIENT_TOKEN}x` });
    expect(wrong.status).toBe(403);
    const ran = await post({ query: UNTRUSTED }, client);
    expect(ran.status).toBe(200);
    expect(ran.body.data.sellers).toBeInstanceOf(Array);

    // Automatic persisted queries: the hash alone is unknown, then registered with its text.
    const own = `{ rootCategories { id own_${randomUUID().slice(0, 8)}: name } }`;
    const persisted = { persistedQuery: { version: 1, sha256Hash: sha256(own) } };
    const unknown = await post({ extensions: persisted }, client);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query: own, extensions: persisted }, client)).status).toBe(200);
    const byHash = await post({ extensions: persisted }, client);
    expect(byHash.status).toBe(200);
    expect(byHash.body.data.rootCategories).toBeInstanceOf(Array);
    // The hash is the trusted client's: anyone else is refused.
    expect((await post({ extensions: persisted })).status).toBe(403);
  });

  it('runs a trusted document sent as text or as its hash alone', async () => {
    const asText = await post({ query: MENU });
    expect(asText.status).toBe(200);
    expect(asText.body.data.categories).toBeInstanceOf(Array);
    const asHash = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(MENU) } },
    });
    expect(asHash.status).toBe(200);
    expect(asHash.body.data).toEqual(asText.body.data);
    // Laid out another way (as a client prints it) it is the same document.
    const reformatted = await post({
      query: 'query Menu {\n  categories {\n    id\n    name\n  }\n}',
    });
    expect(reformatted.status).toBe(200);
    expect(reformatted.body.data).toEqual(asText.body.data);
  });

  it('refuses any other operation with 403 FORBIDDEN, OPERATION_NOT_TRUSTED, before running it', async () => {
    for (const query of [UNTRUSTED, 'query Menu { categories { id name slug } }', '{ nope']) {
      const res = await post({ query });
      expect(res.status, query).toBe(403);
      expect(res.body.data, query).toBeUndefined();
      expect(res.body.errors[0].extensions, query).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'OPERATION_NOT_TRUSTED',
      });
    }
  });

  it('does not let a client register an untrusted operation as a persisted query', async () => {
    const hash = sha256(UNTRUSTED);
    const register = await post({
      query: UNTRUSTED,
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    });
    expect(register.status).toBe(403);
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(byHash.body.data).toBeUndefined();
    expect(byHash.body.errors[0].extensions.code).toMatch(/PERSISTED_QUERY_NOT_FOUND|FORBIDDEN/);
  });

  it('lets an admin run any operation, but serves no introspection or Sandbox by default', async () => {
    const admin = await production.authAs({ userId: randomUUID(), role: 'ADMIN' });
    const adminQuery = await post({ query: UNTRUSTED }, admin);
    expect(adminQuery.status).toBe(200);
    expect(adminQuery.body.data.sellers).toBeDefined();
    const customer = await production.authAs({ userId: randomUUID(), role: 'CUSTOMER' });
    expect((await post({ query: UNTRUSTED }, customer)).status).toBe(403);

    const introspection = await post({ query: '{ __schema { queryType { name } } }' }, admin);
    expect(introspection.body.data).toBeUndefined();
    expect(JSON.stringify(introspection.body.errors)).toMatch(/introspection/i);

    const page = await fetch(production.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
  });

  it('refuses an untrusted subscription over graphql-ws and serves a trusted one', async () => {
    const who = { userId: randomUUID(), role: 'CUSTOMER' as const };
    const orderId = randomUUID();
    const untrusted = await trackOrder(
      production,
      who,
      orderId,
      'subscription ($id: ID!) { orderUpdated(id: $id) { id status total { amount } } }',
    );
    const trusted = await trackOrder(production, who, orderId, WATCH);
    const outcome = (t: typeof trusted) => JSON.stringify([t.results, t.failures]);
    try {
      await expect.poll(() => outcome(untrusted)).toMatch(/OPERATION_NOT_TRUSTED/);
      // The trusted one is planned and reaches the order service (which knows no such order).
      await expect.poll(() => outcome(trusted)).toMatch(/NOT_FOUND/);
      expect(outcome(trusted)).not.toMatch(/OPERATION_NOT_TRUSTED/);
    } finally {
      await Promise.all([untrusted.client.dispose(), trusted.client.dispose()]);
    }
  });

  it("lets a trusted client's socket run any operation, and no one else's", async () => {
    const token = await production.tokenFor({ userId: randomUUID(), role: 'CUSTOMER' });
    const ask = async (params: Record<string, string>) => {
      const socket = createClient({
        url: production.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}`, ...params },
      });
      try {
        return await new Promise<unknown>((resolve) =>
          socket.subscribe(
            { query: UNTRUSTED },
            { next: resolve, error: resolve, complete: () => {} },
          ),
        );
      } finally {
        await socket.dispose();
      }
    };
    const trusted = (await ask({ 'x-trusted-client': CLIENT_TOKEN })) as {
      data?: { sellers: unknown };
    };
    expect(trusted.data?.sellers).toBeInstanceOf(Array);
    expect(JSON.stringify(await ask({}))).toMatch(/OPERATION_NOT_TRUSTED/);
    expect(JSON.stringify(await ask({ 'x-trusted-client': `${CLIENT_TOKEN}x` }))).toMatch(
      /OPERATION_NOT_TRUSTED/,
    );
  });

  it("runs the storefront's operations as its Apollo Client sends them", async () => {
    // The storefront's own cache and an HTTP link: the text on the wire is Apollo Client's.
    const client = new ApolloClient({
      cache: createCache(),
      link: new HttpLink({ uri: production.gatewayUrl }),
      incrementalHandler: new Defer20220824Handler(),
    });
    const tree = await client.query({ query: CategoryTreeDocument });
    expect(tree.data?.categories).toBeInstanceOf(Array);
    const page = await client.query({
      query: ProductPageDocument,
      variables: { id: randomUUID(), reviewsFirst: 5 },
      errorPolicy: 'all',
    });
    expect(page.error).toBeUndefined();
    expect(page.data?.product).toBeNull();
    // A mutation with fragments: refused for its credentials, not as an untrusted operation.
    const login = await client.mutate({
      mutation: LoginDocument,
      variables: { email: 'nobody@example.com', password: 'wrong password here' },
      errorPolicy: 'all',
    });
    expect(JSON.stringify(login.error)).not.toMatch(/OPERATION_NOT_TRUSTED/);
    expect(JSON.stringify(login.error)).toMatch(/UNAUTHENTICATED|BAD_USER_INPUT/);
  });
});
