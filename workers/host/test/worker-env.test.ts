import { describe, expect, it } from 'vitest';
import { hostEnv, workerEnv } from '../src/worker-env.ts';
import { workerPrograms } from '../src/worker-programs.ts';

describe('one environment for several workers', () => {
  const workers: { id: string; env: Record<string, string> }[] = [
    {
      id: 'relay-order',
      env: { PORT: '4010', DATABASE_URL: 'postgres://h/order', REDIS_URL: 'redis://r' },
    },
    {
      id: 'relay-user',
      env: { PORT: '4015', DATABASE_URL: 'postgres://h/user', REDIS_URL: 'redis://r' },
    },
    { id: 'saga', env: { PORT: '4012', SAGA_NAME: 'saga', REDIS_URL: 'redis://r' } },
  ];

  it('writes shared settings once and prefixes the ones that differ', () => {
    expect(hostEnv(workers)).toEqual({
      WORKERS: 'relay-order,relay-user,saga',
      REDIS_URL: 'redis://r',
      RELAY_ORDER__PORT: '4010',
      RELAY_USER__PORT: '4015',
      SAGA__PORT: '4012',
      RELAY_ORDER__DATABASE_URL: 'postgres://h/order',
      RELAY_USER__DATABASE_URL: 'postgres://h/user',
      SAGA__SAGA_NAME: 'saga',
    });
  });

  it('gives each worker back exactly its own settings', () => {
    const env = hostEnv(workers);
    for (const worker of workers) {
      const own = workerEnv(worker.id, env);
      for (const [key, value] of Object.entries(worker.env)) expect(own[key]).toBe(value);
    }
    // A relay without its own DATABASE_URL must not inherit another relay's.
    expect(workerEnv('saga', env).DATABASE_URL).toBeUndefined();
  });

  it('lets a prefixed setting win over the shared one', () => {
    expect(workerEnv('saga', { LOG_LEVEL: 'info', SAGA__LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe(
      'debug',
    );
  });

  it('knows every worker of `npm start` and refuses an unknown one before starting any', () => {
    const ids = [
      'relay-order',
      'relay-catalog',
      'relay-user',
      'saga',
      'search-indexer',
      'analytics',
      'cart-worker',
      'notifications',
    ];
    expect(workerPrograms(ids).map((p) => p.id)).toEqual(ids);
    expect(() => workerPrograms(['saga', 'sagaa'])).toThrow(/WORKERS has "sagaa"/);
  });
});
