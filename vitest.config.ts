import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '.stack/**'];
/**
 * Tests that start a whole system of their own (own database prefix, ports, consumer groups) or
 * a private broker: scripts/test.sh runs them beside the integration project.
 */
const systems = [
  'test/prometheus.int.test.ts',
  'test/fulfilment-journey.int.test.ts',
  'test/tracing.int.test.ts',
  'test/worker-host.int.test.ts',
  'workers/saga/test/fault-run.int.test.ts',
];

export default defineConfig({
  test: {
    // Integration files share the test databases and search index; run files one at a time.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/test/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/test/**/*.int.test.ts'],
          exclude: [...exclude, ...systems],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'systems',
          include: systems,
          exclude,
          globalSetup: ['packages/testing/src/global-setup-systems.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
