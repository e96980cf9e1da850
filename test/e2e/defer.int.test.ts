import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServiceServer } from '@shop/observability';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  postMultipart,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * @defer through the gateway over multipart HTTP, against the real subgraphs. A second gateway
 * reaches the search subgraph (product statistics) through a proxy that holds each answer for
 * SLOW_MS, so "later" is measurable: the first part must arrive well before the deferred one.
 */
const env = testEnv(inject('stack'));
const SLOW_MS = 600;
const DEFERRED = `
  query DeferredProduct($id: ID!) {
    product(id: $id) {
      id
      name
      ... @defer(label: "stats") { stats { views sales } }
      ... on Product @defer(label: "reviews") {
        reviews(first: 3) { totalCount edges { node { rating author { name } } } }
      }
    }
  }`;
const WHOLE = `
  query WholeProduct($id: ID!) {
    product(id: $id) {
      id
      name
      stats { views sales }
      reviews(first: 3) { totalCount edges { node { rating author { name } } } }
    }
  }`;

let store: Store;
let supergraph: RunningSupergraph;
let slowSearch: http.Server;
let gateway: ServiceServer;

/** Holds every answer of `target` for `delayMs` before passing it on. */
function slowProxy(target: string, delayMs: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const answer = await fetch(target, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(
            ([k]) => !['host', 'content-length', 'connection'].includes(k),
          ) as [string, string][],
        ),
        body: Buffer.concat(chunks),
      });
      const body = await answer.text();
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? '' });
        res.end(body);
      }, delayMs);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
  slowSearch = await slowProxy(supergraph.subgraphUrls.search, SLOW_MS);
  gateway = await supergraph.startGateway({
    SEARCH_URL: `http://127.0.0.1:${(slowSearch.address() as AddressInfo).port}/graphql`,
  });
});
afterAll(async () => {
  await gateway?.close();
  slowSearch?.close();
  await supergraph?.close();
});

describe('@defer', () => {
  it('sends the product first and each deferred part later, complete, over multipart HTTP', async () => {
    const product = store.products.find((p) => store.reviews.some((r) => r.productId === p.id))!;
    const whole = await graphql<{ product: Record<string, unknown> }>(
      `${gateway.url}/graphql`,
      WHOLE,
      { id: product.id },
    );
    expect(whole.errors).toBeUndefined();

    const answer = await postMultipart(`${gateway.url}/graphql`, {
      query: DEFERRED,
      variables: { id: product.id },
    });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^multipart\/mixed; boundary="graphql"; deferSpec=20220824/);
    expect(answer.tail).toBe('\r\n--graphql--\r\n');
    const [first, ...rest] = answer.parts;
    expect(first!.body).toEqual({
      data: { product: { id: product.id, name: product.name } },
      hasNext: true,
    });
    const items = rest.flatMap(
      (p) => (p.body.incremental as { label: string }[] | undefined) ?? [],
    );
    const byLabel = Object.fromEntries(items.map((item) => [item.label, item]));
    expect(byLabel.reviews).toEqual({
      label: 'reviews',
      path: ['product'],
      data: { reviews: whole.data!.product.reviews },
    });
    expect(byLabel.stats).toEqual({
      label: 'stats',
      path: ['product'],
      data: { stats: whole.data!.product.stats },
    });
    expect(rest.at(-1)!.body.hasNext).toBe(false);
    // The statistics wait for the slow search subgraph; the product did not wait for them.
    const statsPart = rest.find((p) =>
      (p.body.incremental as { label: string }[] | undefined)?.some((i) => i.label === 'stats'),
    )!;
    expect(statsPart.at - first!.at).toBeGreaterThan(SLOW_MS * 0.8);
  });

  it('sends the same parts as graphql-ws messages on a socket', async () => {
    const product = store.products.find((p) => store.reviews.some((r) => r.productId === p.id))!;
    const token = await supergraph.tokenFor({ userId: randomUUID(), role: 'CUSTOMER' });
    const client = createClient({
      url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const started = performance.now();
      const messages: { at: number; body: Record<string, unknown> }[] = [];
      await new Promise<void>((resolve, reject) =>
        client.subscribe(
          { query: DEFERRED, variables: { id: product.id } },
          {
            next: (body) => messages.push({ at: performance.now() - started, body: body as never }),
            error: reject,
            complete: resolve,
          },
        ),
      );
      expect(messages[0]!.body).toEqual({
        data: { product: { id: product.id, name: product.name } },
        hasNext: true,
      });
      const items = messages.flatMap((m) => (m.body.incremental as { label: string }[]) ?? []);
      expect(items.map((i) => i.label).sort()).toEqual(['reviews', 'stats']);
      expect(messages.at(-1)!.body.hasNext).toBe(false);
      const stats = messages.find((m) =>
        (m.body.incremental as { label: string }[] | undefined)?.some((i) => i.label === 'stats'),
      )!;
      expect(stats.at - messages[0]!.at).toBeGreaterThan(SLOW_MS * 0.8);
      // Mutations stay on HTTP.
      const refused = await new Promise<unknown>((resolve) =>
        client.subscribe(
          { query: 'mutation { logout }' },
          { next: resolve, error: resolve, complete: () => resolve('complete') },
        ),
      );
      expect(JSON.stringify(refused)).toContain('Send mutations over HTTP');
    } finally {
      await client.dispose();
    }
  });

  it('answers a client that does not read multipart with the whole result at once', async () => {
    const product = store.products[0]!;
    const res = await graphql<{ product: Record<string, unknown> }>(
      supergraph.gatewayUrl,
      DEFERRED,
      { id: product.id },
    );
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!.product)).toEqual(['id', 'name', 'stats', 'reviews']);
  });

  it('delivers nothing deferred for a query without @defer, even to a multipart client', async () => {
    const product = store.products[0]!;
    const answer = await postMultipart(supergraph.gatewayUrl, {
      query: WHOLE,
      variables: { id: product.id },
    });
    // A plain answer: no parts, the whole JSON body.
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.parts).toHaveLength(1);
    expect((answer.parts[0]!.body.data as { product: { id: string } }).product.id).toBe(product.id);
  });
});
