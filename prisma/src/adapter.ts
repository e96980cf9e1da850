import { PrismaPg } from '@prisma/adapter-pg';

export interface PoolOptions {
  /** Connections in this process's pool; small by default since five services share one server. */
  max?: number;
}

/** The pg driver adapter every generated client runs on (no native query engine). */
export function pgAdapter(connectionString: string, options: PoolOptions = {}): PrismaPg {
  return new PrismaPg({ connectionString, max: options.max ?? 10 });
}
