import type {} from 'vitest';
import { databaseName, databaseUrl, type PrismaService } from '@shop/prisma/databases';
import type { StackEndpoints } from '@shop/stack';

/**
 * Tests use their own databases and index prefix, so a running dev system is never touched.
 * TEST_PREFIX lets two test runs share one stack without sharing data.
 */
export const TEST_PREFIX = process.env.TEST_PREFIX ?? 'shoptest';

/** The ClickHouse database the search subgraph reads analytics from in tests. */
export const testAnalyticsDatabase = () => `${TEST_PREFIX}_analytics`;

/** Shared with subgraphs and gateway started by tests; long enough for the settings check. */
export const TEST_INTERNAL_SECRET = 'test-internal-secret-0123456789abcdef';

export interface TestEnv {
  stack: StackEndpoints;
  databaseUrl(service: PrismaService): string;
}

export function testEnv(stack: StackEndpoints): TestEnv {
  return {
    stack,
    databaseUrl: (service) => databaseUrl(stack.postgres.url, databaseName(service, TEST_PREFIX)),
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stack's endpoints, provided by the integration global setup. */
    stack: StackEndpoints;
  }
}
