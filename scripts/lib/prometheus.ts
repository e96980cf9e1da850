/**
 * A Prometheus of its own for a system a test started (scripts/lib/system.ts): on a free port,
 * with a config that scrapes exactly that system and alert rules whose windows the test chooses,
 * data in a temporary folder. Tests never touch the stack's Prometheus, which watches the dev
 * system, and two test files never share one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  consoleProgress,
  ensurePrometheusInstalled,
  prometheusArgs,
  prometheusBin,
  reloadPrometheus,
  waitUntil,
} from '@shop/stack';
import {
  alertParams,
  alertRulesYaml,
  type AlertParamsOverride,
} from '../../ops/scripts/alert-rules.ts';
import { freePort } from '@shop/testing/free-port';
import { prometheusConfig, type MetricsTarget } from './prometheus-config.ts';

export interface PrivatePrometheusOptions {
  /** What to scrape (RunningSystem.metricsTargets). */
  targets: readonly MetricsTarget[];
  /** Shorter windows and `for:` durations than the defaults, so alerts fire within a test. */
  alerts?: AlertParamsOverride;
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** A port of its own (default: a free one). */
  port?: number;
}

export interface PrivatePrometheus {
  url: string;
  /** Its folder: prometheus.yml, alerts.yml, data/, prometheus.log. */
  dir: string;
  /** Replaces the scrape targets and reloads (POST /-/reload). */
  setTargets(targets: readonly MetricsTarget[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivatePrometheus(
  options: PrivatePrometheusOptions,
): Promise<PrivatePrometheus> {
  const progress = consoleProgress();
  try {
    await ensurePrometheusInstalled(progress);
  } finally {
    progress.close();
  }
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(path.join(dir, 'alerts.yml'), alertRulesYaml(alertParams(options.alerts)));
  const writeConfig = (targets: readonly MetricsTarget[]) =>
    writeFileSync(
      configFile,
      prometheusConfig({
        targets,
        ruleFiles: ['alerts.yml'],
        scrapeInterval: options.scrapeInterval ?? '2s',
        evaluationInterval: options.evaluationInterval ?? '1s',
        self: `127.0.0.1:${port}`,
        header: 'A private Prometheus of a test (scripts/lib/prometheus.ts).',
      }),
    );
  writeConfig(options.targets);
  const log = path.join(dir, 'prometheus.log');
  writeFileSync(log, '');
  const child: ChildProcess = spawn(
    prometheusBin() ?? 'prometheus',
    prometheusArgs({
      configFile,
      dataDir: path.join(dir, 'data'),
      host: '127.0.0.1',
      port,
      retention: '1h',
    }),
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Its log is kept for a failing test to look at.
  child.stderr?.on('data', (chunk: Buffer) => writeFileSync(log, chunk, { flag: 'a' }));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntil(async () => (await fetch(`${url}/-/ready`)).ok, {
      timeoutMs: 30_000,
      intervalMs: 100,
      alive: () => child.exitCode === null,
      what: `private prometheus (log: ${log})`,
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    dir,
    async setTargets(targets) {
      writeConfig(targets);
      await reloadPrometheus(url);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
