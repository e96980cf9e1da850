import { PrismaPg } from '@prisma/adapter-pg';
import { poolConfig, type PoolOptions } from './pg-pool.ts';

export type { PoolOptions } from './pg-pool.ts';

/** The pg driver adapter every generated client runs on (no native query engine). */
export function pgAdapter(connectionString: string, options: PoolOptions = {}): PrismaPg {
  return new PrismaPg(poolConfig(connectionString, options));
}
