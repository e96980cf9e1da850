import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyIdentity } from '@shop/auth';
import {
  SubgraphClient,
  SubgraphResponseError,
  SubgraphUnavailableError,
  entityLoader,
} from '../src/index.ts';

const SECRET = 'unit-test-internal-secret-0123456789abcdef';
const servers: http.Server[] = [];
const clients: SubgraphClient[] = [];

/** A tiny real GraphQL-over-HTTP peer that records what it received. */
async function peer(
  answer: (body: any, req: http.IncomingMessage) => unknown,
  options: { delayMs?: number } = {},
) {
  const received: { body: any; headers: http.IncomingHttpHeaders; socket: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      received.push({ body, headers: req.headers, socket: req.socket });
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer(body, req)));
      }, options.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, received };
}

function client(url: string, timeoutMs = 1000) {
  const c = new SubgraphClient({ service: 'peer', url, timeoutMs, internalAuthSecret: SECRET });
  clients.push(c);
  return c;
}

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)).catch(() => {})),
  );
});

describe('SubgraphClient', () => {
  it('batches entity lookups of one tick into one _entities request, nulls for unknown ids', async () => {
    const { url, received } = await peer((body) => ({
      data: {
        _entities: body.variables.representations.map((r: { id: string }) =>
          r.id === 'missing' ? null : { id: r.id, name: `n-${r.id}` },
        ),
      },
    }));
    const loader = entityLoader<{ id: string; name: string }>(client(url), {
      typename: 'Product',
      selection: 'id name',
    });
    const results = await Promise.all(['a', 'b', 'missing', 'a'].map((id) => loader.load(id)));
    expect(results).toEqual([
      { id: 'a', name: 'n-a' },
      { id: 'b', name: 'n-b' },
      null,
      { id: 'a', name: 'n-a' },
    ]);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.variables.representations).toEqual([
      { __typename: 'Product', id: 'a' },
      { __typename: 'Product', id: 'b' },
      { __typename: 'Product', id: 'missing' },
    ]);
  });

  it('reuses one kept-alive connection across requests', async () => {
    const { url, received } = await peer(() => ({ data: { ok: true } }));
    const c = client(url);
    await c.request('{ ok }');
    await c.request('{ ok }');
    await c.request('{ ok }');
    expect(received).toHaveLength(3);
    expect(received[1]!.socket).toBe(received[0]!.socket);
    expect(received[2]!.socket).toBe(received[0]!.socket);
  });

  it('signs the identity when calling on a user’s behalf', async () => {
    const { url, received } = await peer(() => ({ data: { ok: true } }));
    await client(url).request('{ ok }', {}, { as: { userId: 'u1', role: 'CUSTOMER' } });
    const header = received[0]!.headers['x-shop-identity'] as string;
    expect(verifyIdentity(header, SECRET)).toEqual({ userId: 'u1', role: 'CUSTOMER' });
  });

  it('reports GraphQL errors with their codes', async () => {
    const { url } = await peer(() => ({
      data: null,
      errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }],
    }));
    const error = await client(url)
      .request('{ ok }')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubgraphResponseError);
    expect((error as SubgraphResponseError).code).toBe('UNAUTHENTICATED');
  });

  it('fails clearly when the peer is down or too slow', async () => {
    const { url } = await peer(() => ({ data: { ok: true } }));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const down = await client(url)
      .request('{ ok }')
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(SubgraphUnavailableError);
    expect((down as Error).message).toMatch(
      /^peer: unreachable at http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED/,
    );

    // Wide margins: the point is that the client gave up, not how precisely on time.
    const slow = await peer(() => ({ data: { ok: true } }), { delayMs: 3000 });
    const started = Date.now();
    const timeout = await client(slow.url, 100)
      .request('{ ok }')
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(SubgraphUnavailableError);
    expect((timeout as Error).message).toMatch(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
