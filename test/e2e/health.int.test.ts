import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphql, startSupergraph, testEnv, type RunningSupergraph } from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;

beforeAll(async () => {
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

describe('the gateway landing page', () => {
  it('serves Apollo Sandbox to browsers on the GraphQL endpoint', async () => {
    const res = await fetch(supergraph.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('embeddable-sandbox');
  });
});

describe('health, readiness and metrics', () => {
  it('every service answers /health and /ready with its dependency checks', async () => {
    const urls = [supergraph.gatewayUrl, ...Object.values(supergraph.subgraphUrls)].map(base);
    for (const url of urls) {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${url}/ready`);
      const report = (await ready.json()) as {
        status: string;
        checks: Record<string, { ok: boolean }>;
      };
      expect(ready.status, `${url}/ready: ${JSON.stringify(report)}`).toBe(200);
      expect(report.status).toBe('ok');
      expect(Object.keys(report.checks).length).toBeGreaterThan(0);
    }
  });

  it('the gateway reports every subgraph and Redis in /ready', async () => {
    const report = (await (await fetch(`${base(supergraph.gatewayUrl)}/ready`)).json()) as {
      checks: object;
    };
    expect(Object.keys(report.checks).sort()).toEqual([
      'cart',
      'catalog',
      'order',
      'redis',
      'search',
      'user',
    ]);
  });

  it('counts requests and latencies in Prometheus format', async () => {
    await graphql(
      supergraph.gatewayUrl,
      `
        {
          categories {
            id
          }
        }
      `,
    );
    const text = await (await fetch(`${base(supergraph.subgraphUrls.catalog)}/metrics`)).text();
    expect(text).toMatch(
      /http_requests_total\{[^}]*route="\/graphql"[^}]*status="200"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/http_request_duration_seconds_bucket\{/);
    expect(text).toMatch(/graphql_operations_total\{/);
    const gatewayText = await (await fetch(`${base(supergraph.gatewayUrl)}/metrics`)).text();
    expect(gatewayText).toMatch(/http_requests_total\{[^}]*service="gateway"/);
  });

  it('keeps RED metrics per operation at the gateway, with client-chosen names bounded', async () => {
    await graphql(
      supergraph.gatewayUrl,
      `
        query HealthCategories {
          categories {
            id
          }
        }
      `,
    );
    await graphql(
      supergraph.gatewayUrl,
      `
        query HealthBroken {
          cart {
            itemCount
          }
        }
      `,
    );
    const text = await (await fetch(`${base(supergraph.gatewayUrl)}/metrics`)).text();
    expect(text).toMatch(
      /graphql_operations_total\{[^}]*operation="HealthCategories"[^}]*outcome="ok"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(
      /graphql_operations_total\{[^}]*operation="HealthBroken"[^}]*outcome="error"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(
      /graphql_operation_duration_seconds_count\{[^}]*operation="HealthCategories"[^}]*\} [1-9]/,
    );
    // Operation names are the client's: beyond the bound every new name is one series, `other`.
    const names = Array.from({ length: 210 }, (_, i) => `Flood${i}`);
    for (const name of names)
      await graphql(supergraph.gatewayUrl, `query ${name} { categories { id } }`);
    const flooded = await (await fetch(`${base(supergraph.gatewayUrl)}/metrics`)).text();
    const series = new Set(
      [...flooded.matchAll(/graphql_operations_total\{[^}]*operation="([^"]+)"/g)].map((m) => m[1]),
    );
    // At most 200 names, plus `anonymous` and `other`.
    expect(series.size).toBeLessThanOrEqual(202);
    expect(series.has('other')).toBe(true);
  });

  it('/ready turns 503 and names the dependency that is down', async () => {
    // Port 1 never has a listener: the catalog is "down" for this second gateway.
    const gateway = await supergraph.startGateway({ CATALOG_URL: 'http://127.0.0.1:1/graphql' });
    try {
      const res = await fetch(`${gateway.url}/ready`);
      const report = (await res.json()) as { checks: Record<string, { ok: boolean }> };
      expect(res.status).toBe(503);
      expect(report.checks.catalog?.ok).toBe(false);
      expect(report.checks.user?.ok).toBe(true);
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
