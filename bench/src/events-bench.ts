/**
 * The event benchmarks of one run: saga throughput and latency, subscription fan-out, outbox relay
 * vs a raw producer, search freshness and ClickHouse ingestion, with one summary at the end.
 *
 *   npm run bench:events        (EVENTS_BENCH=saga,subscriptions,outbox,one-process,tracing,search,
 *                                clickhouse,notifications,transactions,settings picks a subset)
 */
import { runClickhouseBench } from './clickhouse-bench.ts';
import { profileEnv } from './cpu-profile.ts';
import { runNotificationsBench } from './notifications-bench.ts';
import { runOutboxBench } from './outbox-bench.ts';
import { machineLine, nodeCpuMsPerOrder, runSagaBench } from './saga-bench.ts';
import { runSearchFreshnessBench } from './search-freshness-bench.ts';
import { runSubscriptionBench, subscriptionBenchGatewayEnv } from './subscription-bench.ts';
import { MAX_EVENTS_PER_TRANSACTION, sleep } from '@shop/events';
import { startBenchSystem, type BenchSystem } from './system.ts';
import {
  compareSettings,
  comparisonTable,
  type ComparedSetting,
  type SettingsComparison,
} from './settings-comparison.ts';
import { ensureStack } from '@shop/stack';

const log = (line: string) => console.error(`bench: ${line}`);
const only = process.env.EVENTS_BENCH?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const rates = (process.env.SAGA_BENCH_RATES ?? '10,25,100').split(',').map(Number);
const sagaSeconds = Number(process.env.SAGA_BENCH_SECONDS ?? 15);
const fanOut = {
  subscribers: Number(process.env.SUBSCRIBERS ?? 1000),
  orders: Number(process.env.SUBSCRIPTION_ORDERS ?? 500),
};

/** Settings per service: CPU profiles, and the gateway limits the subscription fan-out needs. */
function benchEnv(): Record<string, Record<string, string>> {
  // BENCH_PROFILE=saga,order writes V8 CPU profiles of those services to .stack/profiles.
  const env: Record<string, Record<string, string>> = Object.fromEntries(
    (process.env.BENCH_PROFILE?.split(',') ?? []).map((name) => [name, profileEnv(name)]),
  );
  if (wanted('subscriptions'))
    env.gateway = { ...env.gateway, ...subscriptionBenchGatewayEnv(fanOut) };
  return env;
}

// Each section is printed as soon as it is measured, so a later failure loses nothing.
const lines = { push: (...text: string[]) => console.log(text.join('\n')) };
/**
 * Idle: started, connected, nothing offered yet (after a moment for start-up work to end):
 * resident memory and CPU per second of every application process.
 */
async function idleLine(running: BenchSystem, label: string): Promise<string> {
  await sleep(5000);
  const idleSeconds = 10;
  const before = running.cpuSeconds();
  await sleep(idleSeconds * 1000);
  const after = running.cpuSeconds();
  const idleCpu = Object.entries(after)
    .map(([name, s]) => [name, ((s - (before[name] ?? 0)) * 1000) / idleSeconds] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = idleCpu.reduce((sum, [, ms]) => sum + ms, 0);
  return `Idle (${label}, ${idleCpu.length} application processes): resident memory ${(running.rss() / 2 ** 20).toFixed(0)} MB; CPU ${total.toFixed(0)} ms per second (${idleCpu.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')})`;
}

const system = ['saga', 'subscriptions', 'outbox'].some(wanted)
  ? await startBenchSystem({
      prefix: 'shopbench_ev',
      portBase: 4300,
      // What is measured is what `npm start` and the image run: the production build.
      runtime: 'built',
      log,
      env: benchEnv(),
    })
  : undefined;
if (system)
  try {
    lines.push(await idleLine(system, 'production build'), '');
    if (wanted('saga')) {
      const phases = await runSagaBench(system, { rates, seconds: sagaSeconds, log });
      lines.push(
        `Saga (${sagaSeconds} s per offered rate, placeOrder through the gateway to COMPLETED):`,
        '| offered orders/s | accepted | refused (busy) | completed | completed/s | placeOrder p50/p99 ms | to COMPLETED p50 / p99 / max ms |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        ...phases.map(
          (p) =>
            `| ${p.offeredPerSec} | ${p.orders} | ${p.refused} | ${p.completed} (${p.cancelled} cancelled, ${p.unfinished} unfinished) | ${p.completedPerSec.toFixed(0)} | ${p.placeOrderP50Ms.toFixed(0)} / ${p.placeOrderP99Ms.toFixed(0)} | ${p.toCompletedP50Ms.toFixed(0)} / ${p.toCompletedP99Ms.toFixed(0)} / ${p.toCompletedMaxMs.toFixed(0)} |`,
        ),
        `Goal at 100/s: p50 < 100 ms, p99 < 500 ms.`,
        '',
        'Node.js CPU per completed order (all processes, ms) and resident memory of the whole application during each phase:',
        '| offered orders/s | CPU ms per order | by process | peak RSS MB |',
        '|---:|---:|---|---:|',
        ...phases.map(
          (p) =>
            `| ${p.offeredPerSec} | ${nodeCpuMsPerOrder(p).toFixed(1)} | ${Object.entries(
              p.cpuMsPerOrder,
            )
              .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
              .join(', ')} | ${p.peakRssMb.toFixed(0)} |`,
        ),
        'Goal: under 15 ms of CPU per order.',
        '',
        'The whole machine (2 cores, every process) per completed order:',
        ...phases.map((p) => `- ${p.offeredPerSec} offered/s: ${machineLine(p)}`),
        '',
      );
    }
    if (wanted('subscriptions')) {
      const s = await runSubscriptionBench(system, {
        ...fanOut,
        cancelsPerSec: Number(process.env.SUBSCRIPTION_CANCELS_PER_SEC ?? 50),
        log,
      });
      const row = (name: string, d: typeof s.steady) =>
        `| ${name} | ${d.eventsPerSec.toFixed(0)} | ${d.delivered}/${d.expected} | ${d.p50Ms.toFixed(0)} | ${d.p99Ms.toFixed(0)} | ${d.maxMs.toFixed(0)} |`;
      lines.push(
        `Subscription fan-out: ${s.subscribers} graphql-ws subscribers on ${s.orders} orders (${s.subscribers / s.orders} per order), all subscribed (first event each) in ${s.subscribeAllMs.toFixed(0)} ms, gateway peak RSS ${s.gatewayPeakRssMb.toFixed(0)} MB:`,
        '| phase | status changes/s | deliveries | p50 ms | p99 ms | max ms |',
        '|---|---:|---:|---:|---:|---:|',
        row('steady: customers cancel half of the orders', s.steady),
        row('burst: the saga drains the other half (3 changes each)', s.burst),
        'Goal: delivery p99 < 200 ms (from the status change commit to the client).',
        '',
      );
    }
    if (wanted('outbox')) {
      const batches = (process.env.OUTBOX_BENCH_BATCHES ?? '1000,2000').split(',').map(Number);
      const events = Number(process.env.OUTBOX_BENCH_EVENTS ?? 20_000);
      lines.push(
        `Outbox relay vs a raw kafkajs producer (${events} events, idempotent, acks=-1):`,
        '| batch | raw events/s | relay events/s | relay / raw | insert→published p50 / p99 ms | peak RSS MB |',
        '|---:|---:|---:|---:|---:|---:|',
      );
      for (const batch of batches) {
        log(`outbox: ${events} events, batch ${batch}`);
        const o = await runOutboxBench(system.stack, { events, batch });
        lines.push(
          `| ${batch} | ${o.rawPerSec.toFixed(0)} | ${o.relayPerSec.toFixed(0)} | ${(o.ratio * 100).toFixed(0)} % | ${o.insertToPublishedP50Ms.toFixed(1)} / ${o.insertToPublishedP99Ms.toFixed(1)} | ${o.peakRssMb.toFixed(0)} |`,
        );
      }
      lines.push('Goal (issue 9): at least 60 % of raw at batch 1,000 and 2,000.', '');
    }
  } finally {
    await system.close();
  }
// Small deployments: the same system with every worker in one process (WORKERS_IN_ONE_PROCESS).
if (wanted('one-process')) {
  const small = await startBenchSystem({
    prefix: 'shopbench_one',
    portBase: 4400,
    runtime: 'built',
    workersInOneProcess: true,
    log,
  });
  try {
    lines.push(await idleLine(small, 'workers in one process'));
    const [phase] = await runSagaBench(small, { rates: [25], seconds: sagaSeconds, log });
    const cpu = nodeCpuMsPerOrder(phase!);
    lines.push(
      `At 25 orders/s: ${phase!.completedPerSec.toFixed(0)} completed/s, to COMPLETED p50 ${phase!.toCompletedP50Ms.toFixed(0)} / p99 ${phase!.toCompletedP99Ms.toFixed(0)} ms, CPU ${cpu.toFixed(1)} ms per order (${Object.entries(
        phase!.cpuMsPerOrder,
      )
        .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
        .join(', ')}), peak RSS ${phase!.peakRssMb.toFixed(0)} MB`,
      '',
    );
  } finally {
    await small.close();
  }
}

/**
 * A part that compares settings on the saga (compareSettings, systems on ports 4500+), read
 * from its own knobs: `<KNOBS>_ROUNDS`, `<KNOBS>_WARM_UP_SECONDS`, `<KNOBS>_BENCH_RATES`.
 */
async function compareOnTheSaga(
  knobs: string,
  prefix: string,
  settings: readonly ComparedSetting[],
  more: Pick<SettingsComparison, 'warmUpSampledShare'> = {},
) {
  const rounds = Number(process.env[`${knobs}_ROUNDS`] ?? 2);
  const warmUpSeconds = Number(process.env[`${knobs}_WARM_UP_SECONDS`] ?? 15);
  const means = await compareSettings({
    prefix,
    portBase: 4500,
    settings,
    rates: (process.env[`${knobs}_BENCH_RATES`] ?? '25,100').split(',').map(Number),
    seconds: sagaSeconds,
    rounds,
    warmUpSeconds,
    serviceEnv: benchEnv(),
    log,
    ...more,
  });
  return { means, rounds, warmUpSeconds };
}

// Tracing's cost on the event path: the same system restarted with each setting, tracing off,
// every trace kept (exported to the stack's Zipkin) and 1 % sampled, TRACING_ROUNDS times (2)
// in alternating order (this machine's speed drifts within a run); each system warmed up before
// it is measured; the saga at a rate it keeps up with (p99) and at one it cannot (throughput).
if (wanted('tracing')) {
  const zipkin = (await ensureStack({ verbose: false })).zipkin.spansUrl;
  // TRACING_MODES=off,1 compares two of them (off, 100, 1, 1a, 0); off first, the others against it.
  const allModes: [key: string, mode: string, settings: Record<string, string>][] = [
    ['off', 'off', { TRACING_ENABLED: 'false' }],
    [
      '100',
      'on, 100 % sampled',
      { TRACING_ENABLED: 'true', TRACING_SAMPLE_RATIO: '1', ZIPKIN_URL: zipkin },
    ],
    [
      '1',
      'on, 1 % sampled',
      { TRACING_ENABLED: 'true', TRACING_SAMPLE_RATIO: '0.01', ZIPKIN_URL: zipkin },
    ],
    // 1 % with OpenTelemetry's own context manager: every context carried, always (the
    // default before TRACING_CONTEXT_WHILE_RECORDING became it).
    [
      '1a',
      'on, 1 %, contexts always carried',
      {
        TRACING_ENABLED: 'true',
        TRACING_SAMPLE_RATIO: '0.01',
        TRACING_CONTEXT_WHILE_RECORDING: 'false',
        ZIPKIN_URL: zipkin,
      },
    ],
    // Not by default: everything installed and propagated, nothing recorded.
    [
      '0',
      'on, 0 % sampled',
      { TRACING_ENABLED: 'true', TRACING_SAMPLE_RATIO: '0', ZIPKIN_URL: zipkin },
    ],
  ];
  const modeKeys = (process.env.TRACING_MODES ?? 'off,100,1').split(',');
  const modes = allModes
    .filter(([key]) => modeKeys.includes(key))
    .map(([, label, env]) => ({ label, env }));
  // The share of warm-up orders traced where tracing is on (see warmUpSampledShare).
  const warmUpSampledShare = Number(process.env.TRACING_WARM_UP_SAMPLED ?? 0.1);
  const { means, rounds, warmUpSeconds } = await compareOnTheSaga(
    'TRACING',
    'shopbench_tr',
    modes,
    {
      warmUpSampledShare,
    },
  );
  lines.push(
    `Tracing's cost on the event path (the whole system restarted with each setting, ${rounds} rounds in alternating order, each system warmed up for ${warmUpSeconds} s with ${Math.round(warmUpSampledShare * 100)} % of the warm-up orders traced where tracing is on, then the saga ${sagaSeconds} s per offered rate, production build; means of the rounds):`,
    ...comparisonTable('tracing', means),
    'Goal: under 5 % throughput cost at 1 % sampling.',
    '',
  );
}
// Shared consumer transactions (EVENTS_MAX_PER_TRANSACTION): every event in its own transaction
// against the default, compared the same way.
if (wanted('transactions')) {
  const shared = process.env.TRANSACTIONS_SHARED ?? String(MAX_EVENTS_PER_TRANSACTION);
  const { means, rounds, warmUpSeconds } = await compareOnTheSaga('TRANSACTIONS', 'shopbench_tx', [
    { label: 'one event each', env: { EVENTS_MAX_PER_TRANSACTION: '1' } },
    { label: `up to ${shared} events`, env: { EVENTS_MAX_PER_TRANSACTION: shared } },
  ]);
  lines.push(
    `Events per consumer transaction (the whole system restarted with each setting, ${rounds} rounds in alternating order, each system warmed up for ${warmUpSeconds} s, then the saga ${sagaSeconds} s per offered rate, production build, tracing off; means of the rounds):`,
    ...comparisonTable("a partition's events per transaction", means),
    '',
  );
}
// Any settings against each other (SETTINGS_COMPARED: a JSON list of {label, env}, the first the
// baseline), for example a Node.js flag in NODE_OPTIONS, compared the same way.
if (wanted('settings')) {
  const settings = JSON.parse(process.env.SETTINGS_COMPARED ?? '[]') as ComparedSetting[];
  if (settings.length < 2) throw new Error('SETTINGS_COMPARED: give at least two {label, env}');
  const { means, rounds, warmUpSeconds } = await compareOnTheSaga(
    'SETTINGS',
    'shopbench_set',
    settings,
  );
  lines.push(
    `Settings compared (the whole system restarted with each, ${rounds} rounds in alternating order, each system warmed up for ${warmUpSeconds} s, then the saga ${sagaSeconds} s per offered rate, production build; means of the rounds):`,
    ...comparisonTable('setting', means),
    '',
  );
}
// These two start the processes they measure themselves (relay and indexer; the analytics sink).
if (wanted('search')) {
  const f = await runSearchFreshnessBench({
    updates: Number(process.env.FRESHNESS_UPDATES ?? 200),
    ratePerSecond: Number(process.env.FRESHNESS_RATE ?? 20),
    log,
  });
  lines.push(
    `Search freshness (${f.updates} product updates at ${process.env.FRESHNESS_RATE ?? 20}/s, commit → visible in searchProducts):`,
    '| updates | p50 ms | p99 ms | max ms | peak RSS MB (relay + indexer) |',
    '|---:|---:|---:|---:|---:|',
    `| ${f.updates} | ${f.p50Ms.toFixed(0)} | ${f.p99Ms.toFixed(0)} | ${f.maxMs.toFixed(0)} | ${f.peakRssMb.toFixed(0)} |`,
    'Goal: p99 < 2 s.',
    '',
  );
}
if (wanted('clickhouse')) {
  const c = await runClickhouseBench({ log });
  lines.push(
    `ClickHouse analytics (ingestion through the analytics sink, Kafka → ClickHouse; queries over ${c.rows.toLocaleString('en')} views):`,
    '| ingestion events/s | popularProducts by views p50 / p99 ms | by sales p50 / p99 ms | peak RSS MB |',
    '|---:|---:|---:|---:|',
    `| ${c.ingestEventsPerSec.toFixed(0)} | ${c.popularByViewsMs.p50.toFixed(0)} / ${c.popularByViewsMs.p99.toFixed(0)} | ${c.popularBySalesMs.p50.toFixed(0)} / ${c.popularBySalesMs.p99.toFixed(0)} | ${c.peakRssMb.toFixed(0)} |`,
    'Goal: 20,000 events/s.',
    '',
  );
}
if (wanted('notifications')) {
  const rate = Number(process.env.NOTIFICATIONS_RATE ?? 20);
  const seconds = Number(process.env.NOTIFICATIONS_SECONDS ?? 15);
  const n = await runNotificationsBench({
    rate,
    seconds,
    burst: Number(process.env.NOTIFICATIONS_BURST ?? 1000),
    log,
  });
  lines.push(
    `Customer emails (notifications worker → SMTP → maildev, OrderPlaced for known customers; latency = event published → listed by maildev's GET /email, polled every 20 ms):`,
    '| at orders/s | emails | p50 ms | p99 ms | max ms | burst emails | emails/s (burst) | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${n.rate} | ${n.sent} | ${n.p50Ms.toFixed(0)} | ${n.p99Ms.toFixed(0)} | ${n.maxMs.toFixed(0)} | ${n.burst} | ${n.emailsPerSec.toFixed(0)} | ${n.peakRssMb.toFixed(0)} |`,
    '',
  );
}
process.exit(0);
