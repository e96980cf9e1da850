import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tracingNodeArgs } from '@shop/tracing';
import type { AppService } from './app-services.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface Supervised {
  service: AppService;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * How a service runs: `built` is its production build under plain node (`npm start`; stack
 * traces mapped back to the TypeScript sources), `source` its TypeScript entry through tsx (the
 * test harness, which needs no build step).
 */
export type Runtime = 'built' | 'source';

/**
 * The program and arguments that run `service`. With tracing on in its settings, Node.js loads
 * the tracing preload first (instrumentations must be in place before the service's modules
 * load); with tracing off nothing is added.
 */
export function commandOf(service: AppService, runtime: Runtime): string[] {
  if (service.command) return service.command;
  const preload = tracingNodeArgs({ ...process.env, ...service.env }, runtime);
  return runtime === 'built'
    ? [process.execPath, '--enable-source-maps', ...preload, path.join(root, service.built)]
    : [tsx, ...preload, path.join(root, service.entry)];
}

/** Starts one service with its logs in `logDir`/<name>.log. */
export function launch(service: AppService, logDir: string, runtime: Runtime): Supervised {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${service.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const [program, ...args] = commandOf(service, runtime);
  const child = spawn(program!, args, {
    cwd: root,
    env: { ...process.env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Two sources share the file: neither may end it (stderr can still write after stdout ended).
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  child.on('close', () => log.end());
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { service, child, logFile, exited };
}

/**
 * Waits until `url` answers 200; fails early when the process (`exited`) ends, and after
 * `timeoutMs`. `label` names the process and `detail` says where to look (its log, its output).
 */
export async function waitAnswers(
  url: string,
  exited: Promise<number | null>,
  report: { label: string; detail: () => string; timeoutMs?: number },
): Promise<void> {
  const timeoutMs = report.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`${report.label} exited (code ${exitCode}); ${report.detail()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${report.label}: no answer from ${url} after ${timeoutMs / 1000}s; ${report.detail()}`,
  );
}

/** Waits until /ready answers 200 on each of its ports; fails early when the process exits. */
export async function waitReady(proc: Supervised, timeoutMs = 60_000): Promise<void> {
  await Promise.all(
    (proc.service.readyPorts ?? [proc.service.port]).map((port) =>
      waitAnswers(`http://127.0.0.1:${port}/ready`, proc.exited, {
        label: proc.service.name,
        detail: () => `see ${path.relative(root, proc.logFile)}`,
        timeoutMs,
      }),
    ),
  );
}

export async function stopAll(procs: Supervised[]): Promise<void> {
  for (const proc of procs) if (proc.child.exitCode === null) proc.child.kill('SIGTERM');
  await Promise.race([
    Promise.all(procs.map((p) => p.exited)),
    new Promise((r) => setTimeout(r, 10_000)),
  ]);
  for (const proc of procs) if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
}
