/**
 * The storefront's browser tests: a whole system with its storefront (its own databases, ports
 * 4600+ and consumer groups, beside any dev system), then Playwright driving Debian's Chromium
 * against it. Settings that make the tests see what they check:
 * - access tokens live 30 s (the shortest the user service takes), so sessions renew their
 *   tokens during the run and the live-tracking socket is closed at expiry and reopened;
 * - the simulated payment takes 3 s, so an order stays unfinished long enough to be seen
 *   live and to be cancelled from the page (a cancel waits for the payment's hold on the order's
 *   row, and must stay inside the order service's 5 s transaction limit);
 * - the simulated carrier waits a day before each step (its longest delay), so it never moves a
 *   parcel during a run: the fulfilment tests pack, ship and deliver by hand, and receive returns
 *   by hand, on the order management page and check each step; a carrier racing them would make
 *   those checks flaky.
 *
 *   npm run test:browser [-- <playwright args>]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startSystem } from './lib/system.ts';

const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`browser tests: ${line}`);

const system = await startSystem({
  prefix: 'shope2e',
  portBase: 4600,
  storefront: true,
  reset: true,
  log,
  env: {
    user: {
      ACCESS_TOKEN_TTL_SECONDS: '30',
      // Every run registers shoppers from 127.0.0.1; runs within the hour must not lock it out.
      REGISTRATIONS_PER_CLIENT: '100000',
      LOGIN_ATTEMPTS_PER_CLIENT: '100000',
    },
    saga: { PAYMENT_LATENCY_MS: '3000' },
    // Hands move the parcels in these tests, not the simulated carrier (see above).
    carrier: {
      CARRIER_PACK_DELAY_MS: '86400000',
      CARRIER_SHIP_DELAY_MS: '86400000',
      CARRIER_DELIVER_DELAY_MS: '86400000',
      // An approved return's parcel too: the admin marks it received by hand.
      CARRIER_RETURN_DELAY_MS: '86400000',
    },
    gateway: { RATE_LIMIT_PER_MINUTE: '100000' },
  },
});
log(`storefront ${system.storefrontUrl}, gateway ${system.gatewayUrl}`);

let code = 1;
try {
  code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      path.join(root, 'node_modules/.bin/playwright'),
      ['test', '-c', 'storefront/playwright.config.ts', ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          STOREFRONT_URL: system.storefrontUrl,
          GATEWAY_URL: system.gatewayUrl,
        },
      },
    );
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
} finally {
  await system.close();
}
process.exit(code);
