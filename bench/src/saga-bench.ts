/**
 * Saga benchmark: orders placed through the gateway at a fixed offered rate (open loop: a slow
 * answer never slows the offered load), each one a new customer with one cart line, then the whole
 * event path (order outbox, relay, Kafka, stock reservation, catalog outbox, relay, payment, order
 * status) to COMPLETED. Latency runs from sending placeOrder to the COMPLETED row's commit time.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { sleep } from '@shop/events';
import { restartProfiles } from './cpu-profile.ts';
import { customersWithCarts } from './customers.ts';
import type { BenchSystem } from './system.ts';
import { percentile } from './stats.ts';
import { machineCpuSeconds, stackServerCpuSeconds } from './processes.ts';

export interface SagaPhase {
  offeredPerSec: number;
  orders: number;
  /** Placements the order service refused as busy (RATE_LIMITED, admission control). */
  refused: number;
  completed: number;
  cancelled: number;
  unfinished: number;
  /** Completions per second from the first send to the last completion. */
  completedPerSec: number;
  placeOrderP50Ms: number;
  placeOrderP99Ms: number;
  toCompletedP50Ms: number;
  toCompletedP99Ms: number;
  toCompletedMaxMs: number;
  /** CPU seconds per completed order, by process, over the phase (where the time goes). */
  cpuMsPerOrder: Record<string, number>;
  /** Highest resident memory of all application processes together during the phase, MB. */
  peakRssMb: number;
  /** CPU per completed order of the local stack's servers (PostgreSQL, Kafka, ...), ms. */
  serverCpuMsPerOrder: Record<string, number>;
  /** CPU per completed order of this benchmark's own process (the load and its checks), ms. */
  loadCpuMsPerOrder: number;
  /** The whole machine (every process, every core): busy CPU per completed order, ms. */
  machineCpuMsPerOrder: number;
  /** Share of the machine's cores busy during the phase, percent. */
  machineBusyPercent: number;
}

/** Node.js CPU per completed order, all the application's processes together, ms. */
export function nodeCpuMsPerOrder(p: Pick<SagaPhase, 'cpuMsPerOrder'>): number {
  return Object.values(p.cpuMsPerOrder).reduce((a, b) => a + b, 0);
}

/**
 * Where the whole machine's CPU went per completed order: the application's Node.js processes,
 * each stack server, the load generator, and the rest (other processes on this shared machine,
 * the kernel's own work).
 */
export function machineLine(p: SagaPhase): string {
  const node = nodeCpuMsPerOrder(p);
  const servers = Object.entries(p.serverCpuMsPerOrder).filter(([, ms]) => ms >= 0.05);
  const known = node + p.loadCpuMsPerOrder + servers.reduce((a, [, ms]) => a + ms, 0);
  return (
    `the machine ${p.machineBusyPercent.toFixed(0)} % busy, ${p.machineCpuMsPerOrder.toFixed(1)} ms of CPU per order: ` +
    [
      `Node.js services ${node.toFixed(1)}`,
      ...servers.map(([name, ms]) => `${name} ${ms.toFixed(1)}`),
      `load generator ${p.loadCpuMsPerOrder.toFixed(1)}`,
      `rest ${(p.machineCpuMsPerOrder - known).toFixed(1)}`,
    ].join(', ') +
    // What this cost per order allows on this machine's cores, and what the servers alone
    // (whatever the Node.js services cost) would: the ceiling a goal rate is measured against.
    `; ceiling at this cost ${ceiling(p.machineCpuMsPerOrder)} orders/s, with the Node.js ` +
    `services free ${ceiling(p.machineCpuMsPerOrder - node - p.loadCpuMsPerOrder)} (load generator left out)`
  );
}

const ceiling = (msPerOrder: number) => Math.floor((cpus().length * 1000) / msPerOrder);

/**
 * A `traceparent` whose trace id every ratio above 2^-16 samples: OpenTelemetry's ratio sampler
 * keeps a trace when the XOR of the id's four 32-bit words is below ratio × 2^32, so the last word
 * is chosen to make that XOR a small number. The flag says "not sampled": the gateway decides by
 * the ratio on the client's trace id (TRACING_TRUST_CLIENT_SAMPLING off).
 */
export function sampledTraceparent(): string {
  const words = [0, 1, 2].map(() => randomBytes(4).readUInt32BE());
  const last = (words[0]! ^ words[1]! ^ words[2]! ^ randomInt(1, 0x10000)) >>> 0;
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `00-${[...words, last].map(hex).join('')}-${randomBytes(8).toString('hex')}-00`;
}

const PLACE_ORDER = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id status } }`;

export async function runSagaBench(
  system: BenchSystem,
  options: {
    rates: number[];
    seconds: number;
    log?: (line: string) => void;
    /**
     * Seconds of orders at the first rate before the measured phases, left out of the results:
     * a freshly started system spends its first orders compiling code, and code that runs only
     * for some orders (tracing's sampled 1 %) pays that later and longer than the rest.
     */
    warmUpSeconds?: number;
    /**
     * The share of warm-up orders that carry a trace the ratio sampler keeps (see
     * sampledTraceparent): a process that has run for hours at 1 % has run its tracing code
     * often enough for the JIT to have compiled it; a few minutes at 1 % run it a handful of
     * times, interpreted. Not all of them: every warm-up order traced is a warm-up at 100 %,
     * whose backlog (spans to export, emails, deliveries) the measured phases then inherited.
     */
    warmUpSampledShare?: number;
  },
): Promise<SagaPhase[]> {
  const log = options.log ?? (() => {});
  const order = new pg.Pool({ connectionString: system.dbUrl('order'), max: 2 });
  try {
    const phases: SagaPhase[] = [];
    const warmUp = options.warmUpSeconds ? [options.rates[0]!] : [];
    const share = options.warmUpSampledShare ?? 0;
    const tracedWarmUp = (i: number) => share > 0 && i % Math.max(1, Math.round(1 / share)) === 0;
    for (const [index, rate] of [...warmUp, ...options.rates].entries()) {
      const warming = index < warmUp.length;
      const seconds = warming ? options.warmUpSeconds! : options.seconds;
      if (warming) log(`saga: warming up for ${seconds} s (not measured)`);
      const count = Math.round(rate * seconds);
      log(`saga: preparing ${count} customers with a cart`);
      const customers = await customersWithCarts(system, count);
      log(`saga: placing ${count} orders at ${rate}/s`);
      const sentAt = new Map<string, number>();
      const placeMs: number[] = [];
      const failures: string[] = [];
      let refused = 0;
      restartProfiles(system.processes());
      const cpuBefore = system.cpuSeconds();
      const serversBefore = stackServerCpuSeconds();
      const machineBefore = machineCpuSeconds();
      const loadBefore = process.cpuUsage();
      let peakRss = system.rss();
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, system.rss())), 500);
      const start = Date.now();
      const inFlight: Promise<void>[] = [];
      for (const [i, customer] of customers.entries()) {
        await sleep(start + (i * 1000) / rate - Date.now());
        inFlight.push(
          (async () => {
            const sent = Date.now();
            const t0 = performance.now();
            const res = await fetch(system.gatewayUrl, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${customer.token}`,
                ...(warming && tracedWarmUp(i) ? { traceparent: sampledTraceparent() } : {}),
              },
              body: JSON.stringify({ query: PLACE_ORDER, variables: { k: randomUUID() } }),
            });
            const body = (await res.json()) as {
              data?: { placeOrder?: { id: string } };
              errors?: { message: string; extensions?: { code?: string } }[];
            };
            const id = body.data?.placeOrder?.id;
            if (id) {
              sentAt.set(id, sent);
              placeMs.push(performance.now() - t0);
            } else if (body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') refused++;
            else failures.push(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
          })(),
        );
      }
      await Promise.all(inFlight);
      if (failures.length)
        log(`saga: ${failures.length} placeOrder failures, first: ${failures[0]}`);
      const ids = [...sentAt.keys()];
      const deadline = Date.now() + 120_000;
      let done = 0;
      while (Date.now() < deadline) {
        const { rows } = await order.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM orders
           WHERE id = ANY($1::uuid[]) AND status IN ('COMPLETED', 'CANCELLED')`,
          [ids],
        );
        done = rows[0]!.n;
        if (done === ids.length) break;
        await sleep(100);
      }
      const { rows } = await order.query<{ id: string; status: string; at: Date }>(
        `SELECT id, status::text AS status, updated_at AS at FROM orders WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const cpuAfter = system.cpuSeconds();
      const serversAfter = stackServerCpuSeconds();
      const machineAfter = machineCpuSeconds();
      const load = process.cpuUsage(loadBefore);
      clearInterval(sampler);
      const completed = rows.filter((r) => r.status === 'COMPLETED');
      const perOrder = (seconds: number) => (seconds * 1000) / Math.max(1, completed.length);
      const cpuMsPerOrder = Object.fromEntries(
        Object.entries(cpuAfter)
          .map(([name, s]) => [name, perOrder(s - (cpuBefore[name] ?? 0))] as const)
          .filter(([, ms]) => ms >= 0.5)
          .sort((a, b) => b[1] - a[1]),
      );
      const toCompleted = completed.map((r) => r.at.getTime() - sentAt.get(r.id)!);
      const lastCompletion = Math.max(...completed.map((r) => r.at.getTime()));
      const phase: SagaPhase = {
        offeredPerSec: rate,
        orders: ids.length,
        refused,
        completed: completed.length,
        cancelled: rows.filter((r) => r.status === 'CANCELLED').length,
        unfinished: ids.length - done,
        completedPerSec: completed.length / ((lastCompletion - start) / 1000),
        placeOrderP50Ms: percentile(placeMs, 50),
        placeOrderP99Ms: percentile(placeMs, 99),
        toCompletedP50Ms: percentile(toCompleted, 50),
        toCompletedP99Ms: percentile(toCompleted, 99),
        toCompletedMaxMs: percentile(toCompleted, 100),
        cpuMsPerOrder,
        peakRssMb: Math.max(peakRss, system.rss()) / 2 ** 20,
        serverCpuMsPerOrder: Object.fromEntries(
          Object.entries(serversAfter)
            .map(([name, s]) => [name, perOrder(s - (serversBefore[name] ?? 0))] as const)
            .sort((a, b) => b[1] - a[1]),
        ),
        loadCpuMsPerOrder: perOrder((load.user + load.system) / 1e6),
        machineCpuMsPerOrder: perOrder(machineAfter.busy - machineBefore.busy),
        machineBusyPercent:
          ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
          100,
      };
      log(
        `saga @${rate}/s: ${phase.completed}/${phase.orders} completed, ${phase.completedPerSec.toFixed(0)}/s, ` +
          `${refused} refused as busy, placeOrder→COMPLETED p50 ${phase.toCompletedP50Ms.toFixed(0)} ms p99 ${phase.toCompletedP99Ms.toFixed(0)} ms`,
      );
      log(
        `saga @${rate}/s: CPU ms per order: ${Object.entries(cpuMsPerOrder)
          .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
          .join(', ')}`,
      );
      log(`saga @${rate}/s: ${machineLine(phase)}`);
      if (!warming) phases.push(phase);
    }
    return phases;
  } finally {
    await order.end();
  }
}
