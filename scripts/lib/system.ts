/**
 * The whole application (five subgraphs, relays, workers, gateway and, when asked, the
 * storefront) as separate processes on its own databases and ports, exactly as `npm start` runs
 * it. The event benchmarks and the browser tests each start one beside the dev system: they
 * measure and test the real paths, with the load (or the browser) in another process than the
 * code under test.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AccessTokenSigner, generateSigningKeyPem, type Identity } from '@shop/auth';
import { databaseName, databaseUrl, type PrismaService } from '@shop/prisma/databases';
import { generateAll } from '@shop/prisma/generate';
import { migrateAll } from '@shop/prisma/migrate';
import { createSearchClient } from '@shop/search-client';
import { generateStore, loadCheckoutSetup, loadStore } from '@shop/seed';
import { ensureStack, type StackEndpoints } from '@shop/stack';
import { appServices, workerHost, type AppService } from './app-services.ts';
import { assertBuilt, buildStorefront, turboBuild } from './build.ts';
import { metricsTargets, type MetricsTarget } from './prometheus-config.ts';
import { treeCpuSeconds, treeRss } from './process-stats.ts';
import {
  launch,
  portInUse,
  stopAll,
  waitReady,
  type Runtime,
  type Supervised,
} from './supervisor.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface RunningSystem {
  stack: StackEndpoints;
  prefix: string;
  gatewayUrl: string;
  /** Set when the system was started with its storefront. */
  storefrontUrl: string | undefined;
  dbUrl(service: PrismaService): string;
  tokenFor(identity: Identity): Promise<string>;
  /** Every process's /metrics (what a private Prometheus scrapes: scripts/lib/prometheus.ts). */
  metricsTargets: MetricsTarget[];
  /**
   * Starts or stops one application process (for example the saga, to build a backlog); `env`
   * adds settings for this start only (a chaos switch, say).
   */
  startService(name: string, env?: Record<string, string>): Promise<void>;
  /** Resolves to its exit code (null when it had to be killed). */
  stopService(name: string): Promise<number | null>;
  /** CPU seconds each running application process has used so far. */
  cpuSeconds(): Record<string, number>;
  /** The running application processes, by service name. */
  processes(): { name: string; pid: number | undefined }[];
  /** Resident memory of the application processes, bytes. */
  rss(names?: string[]): number;
  close(): Promise<void>;
}

export interface SystemOptions {
  prefix: string;
  portBase: number;
  /** Extra settings per service name (`saga`, `gateway`, `user`, `storefront`, ...). */
  env?: Record<string, Record<string, string>>;
  /** Also build (turbo-cached) and start the storefront. */
  storefront?: boolean;
  /**
   * `source` (the default) runs the TypeScript entries through tsx, as tests do; `built` builds
   * (turbo-cached) and runs the production build with node, as `npm start` does (what a
   * benchmark of memory or CPU per process should measure).
   */
  runtime?: Runtime;
  /** Run every worker in one process (workers/host), as `WORKERS_IN_ONE_PROCESS=true` does. */
  workersInOneProcess?: boolean;
  /** Replace the catalog and the accounts with a freshly generated store (tests start clean). */
  reset?: boolean;
  log?: (line: string) => void;
}

/** A 32-bit seed from a name (FNV-1a). */
function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const log = options.log ?? (() => {});
  // The broker is shared by every system on the machine (the test suite's, the benchmarks',
  // `npm start`'s) and keeps all they published: this system's consumers start with what is
  // published from now on, as a fresh deployment's would (EVENTS_HISTORY_START).
  const historyStart = Date.now();
  const stack = await ensureStack({ verbose: false });
  await generateAll();
  await migrateAll({ serverUrl: stack.postgres.url, prefix: options.prefix });
  const dbUrl = (service: PrismaService) =>
    databaseUrl(stack.postgres.url, databaseName(service, options.prefix));
  const search = createSearchClient(stack.elasticsearch.url);
  try {
    await loadStore(
      // A seed of its own: ids that no other system on the shared Kafka topics has, so no
      // other system's workers take this one's orders for theirs.
      generateStore({ products: 300, customers: 10, reviewedShare: 0.3 }, seedOf(options.prefix)),
      {
        catalogUrl: dbUrl('catalog'),
        userUrl: dbUrl('user'),
        search,
        indexPrefix: options.prefix,
      },
      { log, reset: options.reset ?? false },
    );
    await loadCheckoutSetup({ orderUrl: dbUrl('order'), catalogUrl: dbUrl('catalog') }, { log });
  } finally {
    await search.close();
  }
  const runtime = options.runtime ?? 'source';
  if (runtime === 'built') {
    log('building the applications');
    await turboBuild({ quiet: true });
  } else if (options.storefront) {
    log('building the storefront');
    await buildStorefront({ quiet: true });
  }
  const jwtPrivateKey = await generateSigningKeyPem();
  const signer = await AccessTokenSigner.fromPem(jwtPrivateKey);
  const { subgraphs, workers, gateway, storefront } = appServices(
    stack,
    { internalAuthSecret: randomBytes(32).toString('base64url'), jwtPrivateKey },
    options.prefix,
    options.portBase,
  );
  // Consumer groups are named after the worker: a second system must not share the dev system's.
  const named: Record<string, Record<string, string>> = {
    saga: { SAGA_NAME: `${options.prefix}-saga` },
    'search-indexer': { INDEXER_NAME: `${options.prefix}-search-indexer` },
    analytics: { ANALYTICS_NAME: `${options.prefix}-analytics` },
    'cart-worker': { CART_WORKER_NAME: `${options.prefix}-cart-worker` },
    notifications: { NOTIFICATIONS_NAME: `${options.prefix}-notifications` },
    carrier: { CARRIER_WORKER_NAME: `${options.prefix}-carrier` },
    // Off unless asked (options.env): pages that show live counts (a product's views) would
    // keep them for the hints' max-age. Its own keys and group when on.
    gateway: {
      RESPONSE_CACHE: 'false',
      RESPONSE_CACHE_KEY_PREFIX: `response-cache:${options.prefix}:`,
      RESPONSE_CACHE_GROUP: `${options.prefix}-gateway-response-cache`,
    },
  };
  const configured = (service: AppService): AppService => ({
    ...service,
    env: {
      ...service.env,
      LOG_LEVEL: 'warn',
      EVENTS_HISTORY_START: String(historyStart),
      ...named[service.name],
      ...options.env?.[service.name],
    },
  });
  const workerProcesses = options.workersInOneProcess
    ? [configured(workerHost(workers.map(configured)))]
    : workers.map(configured);
  const services = new Map<string, AppService>();
  const all = [
    ...subgraphs.map(configured),
    ...workerProcesses,
    configured(gateway),
    ...(options.storefront ? [configured(storefront)] : []),
  ];
  if (runtime === 'built') assertBuilt(all);
  for (const service of all) services.set(service.name, service);
  // A process left over from an interrupted run would answer in place of the new one.
  for (const service of services.values())
    for (const port of service.readyPorts ?? [service.port])
      if (await portInUse(port))
        throw new Error(`port ${port} (${service.name}) is in use: stop what holds it`);
  const logDir = path.join(root, '.stack/logs', options.prefix);
  const running = new Map<string, Supervised>();
  const startService = async (name: string, env?: Record<string, string>) => {
    const service = services.get(name);
    if (!service) throw new Error(`no service ${name}`);
    const proc = launch(
      env ? { ...service, env: { ...service.env, ...env } } : service,
      logDir,
      runtime,
    );
    running.set(name, proc);
    await waitReady(proc);
  };
  const stopService = async (name: string) => {
    const proc = running.get(name);
    if (!proc) throw new Error(`${name} is not running`);
    running.delete(name);
    await stopAll([proc]);
    return proc.child.exitCode;
  };
  try {
    log(`starting ${subgraphs.length} subgraphs and ${workers.length} workers`);
    await Promise.all([...subgraphs, ...workerProcesses].map((s) => startService(s.name)));
    await startService('gateway');
    if (options.storefront) await startService('storefront');
  } catch (error) {
    await stopAll([...running.values()]);
    throw error;
  }
  return {
    stack,
    prefix: options.prefix,
    gatewayUrl: `http://127.0.0.1:${gateway.port}/graphql`,
    storefrontUrl: options.storefront ? `http://127.0.0.1:${storefront.port}` : undefined,
    dbUrl,
    // The workers themselves, also when one host runs them: each keeps its own port.
    metricsTargets: metricsTargets([
      ...subgraphs,
      ...workers,
      gateway,
      ...(options.storefront ? [storefront] : []),
    ]),
    tokenFor: (identity) => signer.sign(identity, randomBytes(8).toString('hex'), 3600),
    startService,
    stopService,
    cpuSeconds: () =>
      Object.fromEntries(
        [...running.entries()].map(([name, p]) => [
          name,
          p.child.pid ? treeCpuSeconds(p.child.pid) : 0,
        ]),
      ),
    processes: () => [...running.entries()].map(([name, p]) => ({ name, pid: p.child.pid })),
    rss: (names) =>
      [...running.entries()]
        .filter(([name]) => !names || names.includes(name))
        .reduce((sum, [, p]) => sum + (p.child.pid ? treeRss(p.child.pid) : 0), 0),
    close: () => stopAll([...running.values()]),
  };
}
