import { Redis } from 'ioredis';
import { dataDir, ensureDir } from '../paths.ts';
import { spawnDetached, which } from '../process.ts';
import type { Service } from './types.ts';

export const redis: Service = {
  name: 'redis',
  marker: () => 'redis-server',
  stopSignal: 'SIGTERM',
  stopGraceMs: 10_000,
  readyTimeoutMs: 20_000,
  address: (e) => `${e.redis.host}:${e.redis.port}`,
  ports: (e) => [{ host: e.redis.host, port: e.redis.port, env: 'STACK_REDIS_PORT' }],

  async healthy(e) {
    const client = new Redis({
      host: e.redis.host,
      port: e.redis.port,
      lazyConnect: true,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  },

  async missingPrereqs() {
    return which('redis-server')
      ? []
      : ['redis: `redis-server` not found — install it: apt-get install -y redis-server'];
  },

  async start({ endpoints: e }) {
    const dir = ensureDir(dataDir('redis'));
    return spawnDetached(
      'redis',
      which('redis-server') ?? 'redis-server',
      [
        '--bind',
        e.redis.host,
        '--port',
        String(e.redis.port),
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--daemonize',
        'no',
        '--logfile',
        '', // stdout, i.e. .stack/logs/redis.log
      ],
      { address: redis.address(e) },
    );
  },
};
