/**
 * The Guild's federation benchmark query (graphql-hive/graphql-gateways-benchmark: its nested
 * users → reviews → product → reviews query) against this project's own implementation of that
 * benchmark's four subgraphs (guild/subgraphs.ts), 50 connections as its constant-VUs run:
 * this gateway with sharing of identical subgraph calls off and on, stock @apollo/gateway, Hive
 * Gateway, and Hive Gateway with the Rust query planner (@graphql-hive/router-runtime). Every
 * gateway gets the same composed supergraph file; each answer is checked against the first
 * target's before it is timed.
 *
 * `npm run bench:guild` (BENCH_SECONDS, BENCH_CONNECTIONS).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSubgraphs, GATEWAY_NODE_OPTIONS } from '@shop/gateway';
import { ensureStack } from '@shop/stack';
import { GUILD_QUERY, GUILD_SUBGRAPHS } from './guild/subgraphs.ts';
import { runLoad } from './load.ts';
import { profileEnv } from './cpu-profile.ts';
import { startHiveGateway } from './targets/hive-gateway.ts';
import { peakRss, start, stop, treeCpuSeconds, waitUntil, type Proc } from './processes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** GUILD_TARGETS=off,on,stock,hive,rust picks targets (all by default). */
const TARGETS = process.env.GUILD_TARGETS?.split(',');
/** BENCH_PROFILE=1 writes V8 CPU profiles of this gateway to .stack/profiles. */
const PROFILE = profileEnv('gateway', GATEWAY_NODE_OPTIONS);
const SUBGRAPHS_PORT = 4300;
const GATEWAY_PORT = 4310;
const log = (line: string) => console.error(`bench: ${line}`);
const procs: Proc[] = [];

function composeGuildSupergraph(): string {
  return composeSubgraphs(
    Object.entries(GUILD_SUBGRAPHS).map(([name, { typeDefs }]) => ({
      name,
      url: `http://127.0.0.1:${SUBGRAPHS_PORT}/${name}`,
      sdl: typeDefs,
    })),
  );
}

async function ask(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: GUILD_QUERY }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
  if (!response.ok || body.errors?.length || !body.data)
    throw new Error(
      `${url}: ${response.status} ${body.errors?.[0]?.message ?? text.slice(0, 200)}`,
    );
  return JSON.stringify(body.data);
}

async function main() {
  const stack = await ensureStack({ verbose: false });
  const supergraphPath = path.join(root, 'bench/results/guild-supergraph.graphql');
  mkdirSync(path.dirname(supergraphPath), { recursive: true });
  writeFileSync(supergraphPath, composeGuildSupergraph());
  const subgraphs = start(
    'guild-subgraphs',
    process.execPath,
    ['--import', 'tsx', 'bench/src/guild/subgraphs.ts'],
    { PORT: String(SUBGRAPHS_PORT) },
    root,
  );
  procs.push(subgraphs);
  await waitUntil(
    subgraphs,
    async () => (await fetch(`http://127.0.0.1:${SUBGRAPHS_PORT}/health`)).ok,
  );

  const node = (name: string, entry: string, env: Record<string, string>) =>
    start(name, process.execPath, ['--import', 'tsx', entry], env, root);
  const ourGateway = (deduplicate: boolean) => () =>
    node('gateway', 'gateway/src/main.ts', {
      HOST: '127.0.0.1',
      PORT: String(GATEWAY_PORT),
      LOG_LEVEL: 'warn',
      INTERNAL_AUTH_SECRET: 'bench-internal-secret-0123456789abcdef',
      REDIS_URL: stack.redis.url,
      SUPERGRAPH_FILE: supergraphPath,
      SUBGRAPH_DEDUPLICATION: String(deduplicate),
      // Like for like: none of the other gateways limits rates or prices queries.
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_QUERY_COST: '10000000',
      TRACING_ENABLED: 'false',
      ...PROFILE,
    });
  const hive =
    (rust: boolean, sharing = true) =>
    () =>
      startHiveGateway({
        root,
        supergraphPath,
        port: GATEWAY_PORT,
        rust,
        ...(sharing ? {} : { configPath: path.join(root, 'bench/hive/no-sharing.config.ts') }),
      });
  const targets: { key: string; name: string; launch: () => Proc }[] = [
    { key: 'off', name: 'this gateway, sharing off', launch: ourGateway(false) },
    { key: 'on', name: 'this gateway, sharing on', launch: ourGateway(true) },
    {
      key: 'stock',
      name: 'stock @apollo/gateway',
      launch: () =>
        node('stock', 'bench/src/targets/stock-apollo-gateway.ts', {
          PORT: String(GATEWAY_PORT),
          SUPERGRAPH_PATH: supergraphPath,
        }),
    },
    // Hive Gateway shares identical in-flight subgraph calls by default, as this gateway can.
    { key: 'hive', name: 'Hive Gateway (sharing on, its default)', launch: hive(false) },
    {
      key: 'rust-off',
      name: 'Hive Gateway, Rust query planner, sharing off',
      launch: hive(true, false),
    },
    {
      key: 'rust',
      name: 'Hive Gateway, Rust query planner (sharing on, its default)',
      launch: hive(true),
    },
  ].filter((target) => !TARGETS || TARGETS.includes(target.key));

  const url = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
  const body = JSON.stringify({ query: GUILD_QUERY });
  let expected: string | undefined;
  const rows: string[] = [];
  let baseline: number | undefined;
  for (const target of targets) {
    log(`starting ${target.name}`);
    const proc = target.launch();
    try {
      await waitUntil(proc, async () => (await ask(url)).length > 0);
      const answer = await ask(url);
      expected ??= answer;
      if (answer !== expected)
        throw new Error(`${target.name} answers differently from the first target`);
      await runLoad(url, [{ body }], { connections: CONNECTIONS, durationSeconds: 3 }); // warm-up
      const memory = peakRss(proc.child.pid!);
      const cpuBefore = treeCpuSeconds(proc.child.pid!);
      const subgraphsBefore = treeCpuSeconds(subgraphs.child.pid!);
      const result = await runLoad(url, [{ body }], {
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
      });
      const cpuMs =
        ((treeCpuSeconds(proc.child.pid!) - cpuBefore) * 1000) / Math.max(1, result.total);
      // The subgraphs share the machine: what a gateway asks of them shows in its req/s too.
      const subgraphsMs =
        ((treeCpuSeconds(subgraphs.child.pid!) - subgraphsBefore) * 1000) /
        Math.max(1, result.total);
      baseline ??= result.requestsPerSecond;
      rows.push(
        `| ${target.name} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50} | ${result.p99} | ${(memory() / 2 ** 20).toFixed(0)} | ${cpuMs.toFixed(2)} | ${subgraphsMs.toFixed(2)} | ${result.errors + result.non2xx} | ${(result.requestsPerSecond / baseline).toFixed(2)}x |`,
      );
      log(`${target.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms`);
    } finally {
      await stop(proc);
    }
  }
  console.log(
    [
      `The Guild's federation benchmark query (${(Buffer.byteLength(expected ?? '') / 1024).toFixed(0)} KB answer), ${CONNECTIONS} connections, ${SECONDS} s each, ${new Date().toISOString()}`,
      '| gateway | req/s | p50 ms | p99 ms | peak RSS MB | gateway CPU ms per request | subgraphs CPU ms per request | errors | req/s vs this gateway, sharing off |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      'Goal: this gateway with sharing off ahead of Hive Gateway with the Rust query planner.',
    ].join('\n'),
  );
}

try {
  await main();
} finally {
  await Promise.all(procs.map(stop));
}
