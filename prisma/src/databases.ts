/**
 * The Prisma-backed services (the four subgraphs that store data and the notifications worker)
 * each own a PostgreSQL database. Names derive from one
 * prefix so tests can run against their own set (`shoptest_*`) beside a dev set (`shop_*`).
 */
export const PRISMA_SERVICES = ['catalog', 'user', 'cart', 'order', 'notifications'] as const;
export type PrismaService = (typeof PRISMA_SERVICES)[number];

export function databaseName(service: PrismaService, prefix = 'shop'): string {
  return `${prefix}_${service}`;
}

/** Replaces the database path of a server URL (postgres://user@host:port/anything). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
