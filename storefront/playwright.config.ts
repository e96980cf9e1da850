import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/chromium.ts';

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
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
