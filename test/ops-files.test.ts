/**
 * The operations files in ops/ are what `npm run ops:generate` writes (so they follow the service
 * list and the rules' parameters), and Prometheus' own tool accepts them: `promtool check config`
 * on every prometheus*.yml, `promtool check rules` on the alert rules (the committed ones and a
 * copy with a test's shortened windows), and `promtool test rules` on their unit tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { consoleProgress, ensurePrometheusInstalled, promtoolBin } from '@shop/stack';
import { alertParams, alertRulesYaml } from '../ops/scripts/alert-rules.ts';
import { opsFiles } from '../ops/scripts/generate.ts';
import { defaultSystemServices } from '../scripts/lib/prometheus-config.ts';

const ops = path.resolve(import.meta.dirname, '../ops');
const scratch = mkdtempSync(path.join(tmpdir(), 'ops-files-'));

beforeAll(async () => {
  // Debian's package, installed the way the stack installs it (apt as root).
  const progress = consoleProgress();
  try {
    await ensurePrometheusInstalled(progress);
  } finally {
    progress.close();
  }
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function promtool(...args: string[]): { code: number; output: string } {
  const run = spawnSync(promtoolBin()!, args, {
    cwd: path.join(ops, 'prometheus'),
    encoding: 'utf8',
  });
  return { code: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

describe('ops/', () => {
  it('holds exactly what npm run ops:generate writes', async () => {
    for (const [file, content] of Object.entries(await opsFiles()))
      expect(
        readFileSync(path.join(ops, file), 'utf8'),
        `ops/${file}: run npm run ops:generate`,
      ).toBe(content);
  });

  it('promtool accepts every Prometheus config, with the rules they load', () => {
    for (const config of [
      'prometheus.yml',
      'prometheus.compose.yml',
      'prometheus.compose-one-process.yml',
    ]) {
      const result = promtool('check', 'config', config);
      expect(result.output, config).toContain('SUCCESS: 7 rules found');
      expect(result.code, result.output).toBe(0);
    }
  });

  it('promtool accepts the alert rules, also with a test’s shortened windows', () => {
    const committed = promtool('check', 'rules', 'alerts.yml');
    expect(committed.code, committed.output).toBe(0);
    const short = path.join(scratch, 'alerts-short.yml');
    writeFileSync(
      short,
      alertRulesYaml(
        alertParams({
          serviceDown: { for: '2s' },
          outboxFailed: { for: '0s' },
          outboxStale: { for: '2s' },
          consumerLag: { window: '20s', for: '4s' },
        }),
      ),
    );
    const shortened = promtool('check', 'rules', short);
    expect(shortened.code, shortened.output).toBe(0);
  });

  it('every alert fires on its made-up series, and not on the healthy ones (promtool test rules)', () => {
    const result = promtool('test', 'rules', 'alerts.test.yml');
    expect(result.code, result.output).toBe(0);
  });

  it('scrapes every service npm start runs, in the dev config and in docker-compose', () => {
    const jobs = (file: string) =>
      (
        parse(readFileSync(path.join(ops, 'prometheus', file), 'utf8')) as {
          scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
        }
      ).scrape_configs.map((c) => [c.job_name, c.static_configs[0]!.targets[0]]);
    const services = defaultSystemServices();
    expect(jobs('prometheus.yml')).toEqual([
      ['prometheus', '127.0.0.1:9090'],
      ...services.map((s) => [s.name, `127.0.0.1:${s.port}`]),
    ]);
    expect(jobs('prometheus.compose.yml')).toEqual([
      ['prometheus', 'localhost:9090'],
      ...services.map((s) => [s.name, `${s.name}:${s.port}`]),
    ]);
    const oneProcess = Object.fromEntries(jobs('prometheus.compose-one-process.yml'));
    expect(oneProcess.saga).toBe('workers:4012');
    expect(oneProcess['relay-order']).toBe('workers:4010');
    expect(oneProcess.gateway).toBe('gateway:4000');
  });
});
