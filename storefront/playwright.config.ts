import { defineConfig } from '@playwright/test';

/**
 * Browser tests against a real running system (`npm run test:browser` starts it and sets
 * STOREFRONT_URL and GATEWAY_URL). Debian's Chromium, headless, with its background
 * connections off: this network refuses them.
 */
export default defineConfig({
  testDir: './e2e',
  // One browser at a time: two cores run the whole system besides it.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '../.stack/browser-results.json' }]],
  outputDir: '../.stack/browser-artifacts',
  use: {
    baseURL: process.env.STOREFRONT_URL ?? 'http://127.0.0.1:3000',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The seeded image host does not exist here: fail its lookups at once.
        '--host-resolver-rules=MAP images.tackle.shop ~NOTFOUND',
      ],
    },
  },
});
