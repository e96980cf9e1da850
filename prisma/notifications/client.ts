import { PrismaClient } from './generated/client.ts';
import { pgAdapter, type PoolOptions } from '../src/adapter.ts';

export * from './generated/client.ts';

export function createNotificationsPrisma(
  databaseUrl: string,
  options?: PoolOptions,
): PrismaClient {
  return new PrismaClient({ adapter: pgAdapter(databaseUrl, options) });
}
