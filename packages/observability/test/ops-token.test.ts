import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/logging';
import { createServiceMetrics, startServiceServer, type ServiceServer } from '../src/index.ts';

const TOKEN = 'ops-token-for-the-test-0123456789abcdef';
let running: ServiceServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function serve(opsToken?: string) {
  running = await startServiceServer({
    name: 'ops-token-test',
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('ops-token-test', 'silent'),
    metrics: createServiceMetrics('ops-token-test'),
    probes: {
      database: async () => {
        throw new Error('connect ECONNREFUSED 10.0.3.7:5432');
      },
    },
    routes: {},
    ...(opsToken ? { opsToken } : {}),
  });
  return running.url;
}

describe('operations endpoints behind OPS_TOKEN', () => {
  it('answers /metrics only with the token, and /ready details only to it', async () => {
    const url = await serve(TOKEN);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const metrics = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/http_requests_total/);

    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable' });
    const detailed = await fetch(`${url}/ready`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await detailed.json()) as any).checks.database.error).toMatch(/ECONNREFUSED/);

    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('leaves them open without a token (local development)', async () => {
    const url = await serve();
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect(((await (await fetch(`${url}/ready`)).json()) as any).checks.database.ok).toBe(false);
  });
});
