/**
 * The same whole system started once per setting, several rounds in alternating order (this
 * machine's speed drifts within a run), each system warmed up before the saga is measured at the
 * given rates: the comparison of one environment setting's cost or gain on the event path.
 */
import { nodeCpuMsPerOrder, runSagaBench } from './saga-bench.ts';
import { startBenchSystem } from './system.ts';

export interface ComparedSetting {
  /** Its name in the table. */
  label: string;
  /** Process environment of every service of its system (scripts/lib/app-services reads it). */
  env: Record<string, string>;
}

export interface SettingsComparison {
  prefix: string;
  portBase: number;
  /** The first is the baseline the others are compared with. */
  settings: readonly ComparedSetting[];
  rates: readonly number[];
  seconds: number;
  rounds: number;
  warmUpSeconds: number;
  /** See runSagaBench's warmUpSampledShare. */
  warmUpSampledShare?: number;
  /** Per-service settings of every system (CPU profiles). */
  serviceEnv?: Record<string, Record<string, string>>;
  log: (line: string) => void;
}

interface MeanPhase {
  rate: number;
  completedPerSec: number;
  p50: number;
  p99: number;
  cpu: number;
  /** The whole machine's CPU per order, and PostgreSQL's share of it, ms. */
  machine: number;
  postgres: number;
  /** Each round: completed/s and Node.js CPU ms per order. */
  each: string[];
}

export async function compareSettings(
  c: SettingsComparison,
): Promise<{ label: string; phases: MeanPhase[] }[]> {
  type Phases = Awaited<ReturnType<typeof runSagaBench>>;
  const runs: { label: string; phases: Phases }[] = [];
  const saved = { ...process.env };
  for (let round = 0; round < c.rounds; round++) {
    for (const setting of round % 2 === 0 ? c.settings : [...c.settings].reverse()) {
      Object.assign(process.env, setting.env);
      const system = await startBenchSystem({
        prefix: c.prefix,
        portBase: c.portBase,
        runtime: 'built',
        log: c.log,
        env: c.serviceEnv,
      });
      try {
        c.log(`${setting.label} (round ${round + 1} of ${c.rounds})`);
        runs.push({
          label: setting.label,
          phases: await runSagaBench(system, {
            rates: [...c.rates],
            seconds: c.seconds,
            warmUpSeconds: c.warmUpSeconds,
            warmUpSampledShare: c.warmUpSampledShare,
            log: c.log,
          }),
        });
      } finally {
        await system.close();
        for (const key of Object.keys(setting.env))
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
      }
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return c.settings.map(({ label }) => {
    const own = runs.filter((r) => r.label === label);
    return {
      label,
      phases: c.rates.map((rate, i) => ({
        rate,
        completedPerSec: mean(own.map((r) => r.phases[i]!.completedPerSec)),
        p50: mean(own.map((r) => r.phases[i]!.toCompletedP50Ms)),
        p99: mean(own.map((r) => r.phases[i]!.toCompletedP99Ms)),
        cpu: mean(own.map((r) => nodeCpuMsPerOrder(r.phases[i]!))),
        machine: mean(own.map((r) => r.phases[i]!.machineCpuMsPerOrder)),
        postgres: mean(own.map((r) => r.phases[i]!.serverCpuMsPerOrder.PostgreSQL ?? 0)),
        each: own.map(
          (r) =>
            `${r.phases[i]!.completedPerSec.toFixed(1)}/s ${nodeCpuMsPerOrder(r.phases[i]!).toFixed(1)} ms`,
        ),
      })),
    };
  });
}

/** The comparison's table rows, each setting against the first. */
export function comparisonTable(
  settingColumn: string,
  means: Awaited<ReturnType<typeof compareSettings>>,
): string[] {
  const base = means[0]!.phases;
  const versus = `vs ${means[0]!.label}`;
  const pct = (v: number, b: number) => `${((v / b - 1) * 100).toFixed(1)} %`;
  return [
    `| ${settingColumn} | offered orders/s | completed/s | ${versus} | to COMPLETED p50 / p99 ms | Node.js CPU ms per order | ${versus} | machine (PostgreSQL) CPU ms per order | each round: completed/s, CPU ms per order |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...means.flatMap(({ label, phases }) =>
      phases.map((p, i) => {
        const b = base[i]!;
        return `| ${label} | ${p.rate} | ${p.completedPerSec.toFixed(1)} | ${pct(p.completedPerSec, b.completedPerSec)} | ${p.p50.toFixed(0)} / ${p.p99.toFixed(0)} | ${p.cpu.toFixed(1)} | ${pct(p.cpu, b.cpu)} | ${p.machine.toFixed(1)} (${p.postgres.toFixed(1)}) | ${p.each.join('; ')} |`;
      }),
    ),
  ];
}
