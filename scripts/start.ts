/**
 * Brings the whole system up in the foreground: the local stack, migrations, seed data (first
 * run only), the production build (`npm run build`, turbo-cached), then the five subgraphs, the
 * workers, the gateway and the storefront, each its built JavaScript under plain node; prints
 * where to reach them and stops the application processes on Ctrl-C (the stack keeps running:
 * `npm run stack -- down`).
 */
import path from 'node:path';
import { migrateAll } from '@shop/prisma/migrate';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { createSearchClient } from '@shop/search-client';
import { DEFAULT_SIZE, generateStore, loadCheckoutSetup, loadStore } from '@shop/seed';
import { ensureStack, PrereqError, StackError, type StackEndpoints } from '@shop/stack';
import { appServices, workerHost } from './lib/app-services.ts';
import { scrapeSystem, stopScraping } from './lib/stack-prometheus.ts';
import { assertBuilt, turboBuild } from './lib/build.ts';
import { localSecrets } from './lib/local-secret.ts';
import { launch, portInUse, stopAll, waitReady, type Supervised } from './lib/supervisor.ts';

const root = path.resolve(import.meta.dirname, '..');
const stackDir = process.env.STACK_DIR
  ? path.resolve(process.env.STACK_DIR)
  : path.join(root, '.stack');
const step = (text: string) => console.log(`\u25b8 ${text}`);
const started = performance.now();
const running: Supervised[] = [];
const oneProcess = /^(1|true|yes)$/i.test(process.env.WORKERS_IN_ONE_PROCESS ?? '');
/** Set once the stack's Prometheus scrapes the system: turned back when the system stops. */
let scraping: StackEndpoints | undefined;

/** Stops the application processes, and Prometheus' scraping of them. */
async function stopSystem(): Promise<void> {
  await stopAll(running);
  if (scraping) await stopScraping(scraping).catch(() => undefined);
}

async function main() {
  step('local stack');
  const stack = await ensureStack({ verbose: true });

  step('migrations');
  await migrateAll({
    serverUrl: stack.postgres.url,
    prefix: 'shop',
    log: (line) => console.log(`  ${line}`),
  });

  step('seed data');
  const search = createSearchClient(stack.elasticsearch.url);
  try {
    await loadStore(
      generateStore(DEFAULT_SIZE),
      {
        catalogUrl: databaseUrl(stack.postgres.url, databaseName('catalog', 'shop')),
        userUrl: databaseUrl(stack.postgres.url, databaseName('user', 'shop')),
        search,
        indexPrefix: 'shop',
      },
      { log: (line) => console.log(`  ${line}`) },
    );
    await loadCheckoutSetup(
      {
        orderUrl: databaseUrl(stack.postgres.url, databaseName('order', 'shop')),
        catalogUrl: databaseUrl(stack.postgres.url, databaseName('catalog', 'shop')),
      },
      { log: (line) => console.log(`  ${line}`) },
    );
  } finally {
    await search.close();
  }

  step('production build: services, workers, storefront (turbo: unchanged ones from its cache)');
  await turboBuild();

  const services = appServices(stack, await localSecrets(stackDir));
  const { subgraphs, gateway, storefront } = services;
  // Small deployments: every worker in one process (each keeps its port and probes).
  const workers = oneProcess ? [workerHost(services.workers)] : services.workers;
  assertBuilt([...subgraphs, ...workers, gateway, storefront]);
  for (const service of [...subgraphs, ...services.workers, gateway, storefront]) {
    if (await portInUse(service.port))
      throw new PrereqError(
        `port ${service.port} (${service.name}) is in use: stop what holds it (is the system already running?) or set ${service.name.toUpperCase()}_PORT`,
      );
  }
  const logDir = path.join(stackDir, 'logs', 'app');
  step('subgraphs: ' + subgraphs.map((s) => `${s.name}:${s.port}`).join(' '));
  running.push(...subgraphs.map((s) => launch(s, logDir, 'built')));
  step(
    (oneProcess ? 'workers, in one process: ' : 'workers: ') +
      services.workers.map((w) => `${w.name}:${w.port}`).join(' '),
  );
  running.push(...workers.map((w) => launch(w, logDir, 'built')));
  await Promise.all(running.map((p) => waitReady(p)));
  step(`gateway :${gateway.port}`);
  const gw = launch(gateway, logDir, 'built');
  running.push(gw);
  await waitReady(gw);
  step(`storefront :${storefront.port}`);
  const shop = launch(storefront, logDir, 'built');
  running.push(shop);
  await waitReady(shop);

  step('Prometheus: scraping the services started above');
  // Monitoring is not the shop: a Prometheus that refuses the config is a warning, not a stop.
  await scrapeSystem(stack, [...subgraphs, ...services.workers, gateway, storefront]).then(
    () => (scraping = stack),
    (error: unknown) => console.warn(`  ${error instanceof Error ? error.message : String(error)}`),
  );

  const url = `http://127.0.0.1:${gateway.port}`;
  console.log(`
  Tackle shop is up in ${((performance.now() - started) / 1000).toFixed(1)} s

  Storefront         http://127.0.0.1:${storefront.port}/
  GraphQL endpoint   ${url}/graphql
  Apollo Sandbox     ${url}/graphql   (open in a browser)
  Health / metrics   ${url}/health  ${url}/ready  ${url}/metrics
  Mail inbox         ${stack.maildev.url}/   (customer emails; SMTP ${stack.maildev.host}:${stack.maildev.smtpPort})
  Traces (Zipkin)    ${stack.zipkin.uiUrl}
  Metrics, alerts    ${stack.prometheus.url}/alerts   (Prometheus; dashboards ${stack.prometheus.url}/consoles/index.html)
  Service logs       ${path.relative(root, logDir)}/<service>.log
  Stack              npm run stack -- status

  Sign-in for seeded accounts: password "tackle-demo-1" (admin@tackle.shop, customer1@tackle.shop, ...)
  Ctrl-C stops the application; \`npm run stack -- down\` stops the stack.
`);
  // If any service dies, say so and stop the rest: a half-running system misleads.
  const firstExit = await Promise.race(running.map((p) => p.exited.then((code) => ({ p, code }))));
  if (stopping) return;
  console.error(
    `${firstExit.p.service.name} exited (code ${firstExit.code}); see ${path.relative(root, firstExit.p.logFile)}`,
  );
  await stopSystem();
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nstopping the storefront, subgraphs, workers and gateway...');
    void stopSystem().then(() => process.exit(0));
  });
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof PrereqError || error instanceof StackError
      ? message
      : `start failed: ${message}`,
  );
  await stopSystem();
  process.exit(error instanceof PrereqError ? 2 : 1);
});
