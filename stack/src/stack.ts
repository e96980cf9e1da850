import { existsSync, readFileSync } from 'node:fs';
import { stackEndpoints, type StackEndpoints } from './config.ts';
import { errorMessage, PrereqError, StackError } from './errors.ts';
import { isPortOpen, waitUntil } from './ports.ts';
import { isAlive, logTail, ownProcess, stopProcess } from './process.ts';
import { withStackLock } from './lock.ts';
import { logFile } from './paths.ts';
import { silentProgress, type Progress } from './progress.ts';
import { clickhouse } from './services/clickhouse.ts';
import { elasticsearch } from './services/elasticsearch.ts';
import { kafka } from './services/kafka.ts';
import { maildev } from './services/maildev.ts';
import { postgres } from './services/postgres.ts';
import { prometheus } from './services/prometheus.ts';
import { redis } from './services/redis.ts';
import { zipkin } from './services/zipkin.ts';
import type { PortSpec, Service, ServiceName } from './services/types.ts';

export const SERVICES: readonly Service[] = [
  postgres,
  redis,
  kafka,
  clickhouse,
  elasticsearch,
  maildev,
  zipkin,
  prometheus,
];
export const SERVICE_NAMES = SERVICES.map((s) => s.name);

export function serviceByName(name: string): Service | undefined {
  return SERVICES.find((s) => s.name === name);
}

export type ServiceState =
  | { kind: 'ours'; pid: number; healthy: boolean }
  /** Ours, but started on another address than the env now asks for. */
  | { kind: 'moved'; pid: number; address: string }
  | { kind: 'external' }
  | { kind: 'conflict'; port: PortSpec }
  | { kind: 'stopped' };

/** Who (if anyone) serves this service right now. Starts nothing. */
export async function inspect(svc: Service, e: StackEndpoints): Promise<ServiceState> {
  const own = ownProcess(svc.name, svc.marker(e));
  if (own?.address && own.address !== svc.address(e))
    return { kind: 'moved', pid: own.pid, address: own.address };
  if (own) return { kind: 'ours', pid: own.pid, healthy: await svc.healthy(e) };
  if (await svc.healthy(e)) return { kind: 'external' };
  for (const port of svc.ports(e)) {
    if (await isPortOpen(port.host, port.port)) return { kind: 'conflict', port };
  }
  return { kind: 'stopped' };
}

export interface UpOptions {
  services?: ServiceName[];
  progress?: Progress;
}

export interface UpResult {
  endpoints: StackEndpoints;
  /** What each service was: started now, already ours, or someone else's. */
  services: Record<string, { action: 'started' | 'already-running' | 'external'; pid?: number }>;
}

function conflictLine(svc: Service, port: PortSpec): string {
  return `${svc.name}: port ${port.host}:${port.port} is in use by something that is not ${svc.name} — free it or set ${port.env} to another port`;
}

/**
 * Idempotent `up`. Phase 1 inspects every service and collects all missing
 * prerequisites and port conflicts before anything starts, so a failed `up`
 * leaves nothing half-started. Phase 2 starts what is stopped, in parallel.
 */
export function up(opts: UpOptions = {}): Promise<UpResult> {
  const progress = opts.progress ?? silentProgress;
  return withStackLock(progress, () => upLocked(opts, progress));
}

async function upLocked(opts: UpOptions, progress: Progress): Promise<UpResult> {
  const e = stackEndpoints();
  const selected = SERVICES.filter((s) => !opts.services || opts.services.includes(s.name));

  const states = await Promise.all(selected.map((s) => inspect(s, e)));
  const problems: string[] = [];
  for (const [i, svc] of selected.entries()) {
    const state = states[i]!;
    if (state.kind === 'conflict') problems.push(conflictLine(svc, state.port));
    if (state.kind === 'moved') {
      problems.push(
        `${svc.name}: the stack's ${svc.name} (pid ${state.pid}) runs at ${state.address}, not at ${svc.address(e)} as the env now says — run \`npm run stack -- down\` first or restore the env`,
      );
    }
    if (state.kind === 'stopped') problems.push(...(await svc.missingPrereqs(e)));
  }
  if (problems.length) throw new PrereqError(problems.join('\n'));

  const result: UpResult = { endpoints: e, services: {} };
  const failures: string[] = [];
  await Promise.all(
    selected.map(async (svc, i) => {
      const state = states[i]!;
      const ctx = { endpoints: e, progress };
      const t0 = Date.now();
      try {
        if (state.kind === 'external') {
          progress.info(svc.name, `using the server already at ${svc.address(e)} (external)`);
          result.services[svc.name] = { action: 'external' };
        } else if (state.kind === 'ours') {
          if (!state.healthy) {
            // Started by an earlier `up` that is still booting (or a crashed one).
            progress.task(svc.name, 'waiting for readiness');
            await waitUntil(() => svc.healthy(e), {
              timeoutMs: svc.readyTimeoutMs,
              what: svc.name,
              alive: () => isAlive(state.pid),
            });
          }
          progress.info(svc.name, `already running (stack pid ${state.pid}) at ${svc.address(e)}`);
          result.services[svc.name] = { action: 'already-running', pid: state.pid };
        } else {
          progress.task(svc.name, 'starting');
          const pid = await svc.start(ctx);
          progress.task(svc.name, 'waiting for readiness');
          await waitUntil(() => svc.healthy(e), {
            timeoutMs: svc.readyTimeoutMs,
            what: svc.name,
            alive: () => isAlive(pid),
          });
          progress.info(
            svc.name,
            `started (stack pid ${pid}) at ${svc.address(e)} in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
          );
          result.services[svc.name] = { action: 'started', pid };
        }
        if (svc.afterReady) {
          progress.task(svc.name, 'setting up');
          await svc.afterReady(ctx);
        }
      } catch (err) {
        if (err instanceof PrereqError) throw err;
        const last = logTail(svc.name);
        failures.push(
          `${errorMessage(err)}${last ? ` — last log line: ${last.trim().slice(0, 300)}` : ''} (see ${logFile(svc.name)})`,
        );
      } finally {
        progress.done(svc.name);
      }
    }),
  );
  if (failures.length) throw new StackError(failures.join('\n'));
  return result;
}

export interface StatusRow {
  service: ServiceName;
  address: string;
  state: 'healthy' | 'unhealthy' | 'stopped';
  managedBy: string;
  pid?: number;
}

export async function status(): Promise<StatusRow[]> {
  const e = stackEndpoints();
  return Promise.all(
    SERVICES.map(async (svc): Promise<StatusRow> => {
      const s = await inspect(svc, e);
      const base = { service: svc.name, address: svc.address(e) };
      switch (s.kind) {
        case 'ours':
          return {
            ...base,
            state: s.healthy ? 'healthy' : 'unhealthy',
            managedBy: `stack pid ${s.pid}`,
            pid: s.pid,
          };
        case 'external':
          return { ...base, state: 'healthy', managedBy: 'external' };
        case 'moved':
          return {
            ...base,
            address: s.address,
            state: 'unhealthy',
            managedBy: `stack pid ${s.pid} (env asks for ${base.address})`,
          };
        case 'conflict':
          return {
            ...base,
            state: 'unhealthy',
            managedBy: `external (port ${s.port.port} answers, not as ${svc.name})`,
          };
        case 'stopped':
          return { ...base, state: 'stopped', managedBy: '-' };
      }
    }),
  );
}

/** Stops what the stack started (never external servers); data stays. */
export async function down(
  progress: Progress = silentProgress,
  only?: ServiceName[],
): Promise<string[]> {
  const e = stackEndpoints();
  const stopped: string[] = [];
  await Promise.all(
    SERVICES.filter((s) => !only || only.includes(s.name)).map(async (svc) => {
      const pid = ownProcess(svc.name, svc.marker(e))?.pid;
      if (pid === undefined) return;
      progress.task(svc.name, 'stopping');
      const how = await stopProcess(svc.name, pid, svc.stopSignal, svc.stopGraceMs);
      progress.done(svc.name);
      progress.info(
        svc.name,
        how === 'stopped'
          ? `stopped (pid ${pid})`
          : `killed after ${svc.stopGraceMs / 1000}s (pid ${pid})`,
      );
      stopped.push(svc.name);
    }),
  );
  return stopped;
}

export function readLog(name: string, lines: number): string | undefined {
  const file = logFile(name);
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}
