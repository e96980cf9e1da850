/**
 * The relays and the workers (saga, carrier, notifications) as real child processes (node + tsx, no wrapper process in
 * between, so a SIGKILL hits the service itself), restarted when they die the way a process
 * supervisor would: a relay's chaos crash kills its own process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep, waitUntil } from './util.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  logDir: string;
  /** Wait after an unexpected exit before starting it again. */
  restartDelayMs?: number;
  /** How long a start may take until /health answers (default 60 s). */
  startTimeoutMs?: number;
}

export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private killing = false;
  port = 0;
  /** Exits the harness did not ask for (chaos crashes), and SIGKILLs it sent. */
  crashes = 0;
  kills = 0;
  starts = 0;

  constructor(readonly spec: ServiceSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it (on a fresh free port) and waits until its /health answers. */
  async start(): Promise<void> {
    this.stopping = false;
    this.port = await freePort();
    const log = openSync(path.join(this.spec.logDir, `${this.spec.name}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.script], {
      cwd: repoRoot,
      env: { ...process.env, ...this.spec.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopping || this.killing) return;
      // Not asked for: a chaos crash (or a real one). Start it again, as a supervisor would.
      this.crashes++;
      void sleep(this.spec.restartDelayMs ?? 300).then(() => {
        if (!this.stopping && !this.child)
          this.start().catch((error: unknown) =>
            console.error(
              `${this.spec.name}: restart failed (${String(error)}; exit ${code ?? signal})`,
            ),
          );
      });
    });
    await waitUntil(
      () => this.healthy(),
      this.spec.startTimeoutMs ?? 60_000,
      `${this.spec.name} /health`,
      200,
    );
  }

  async healthy(): Promise<boolean> {
    if (!this.child) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/health`, {
        signal: AbortSignal.timeout(1000),
      });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until it is up again (after a crash restart in progress). */
  async waitUp(timeoutMs = 60_000): Promise<void> {
    await waitUntil(() => this.healthy(), timeoutMs, `${this.spec.name} up`, 200);
  }

  /** SIGKILL now, then start it again after `downMs`. */
  async killAndRestart(downMs: number): Promise<void> {
    const child = this.child;
    if (!child?.pid) return this.waitUp();
    this.killing = true;
    child.kill('SIGKILL');
    await this.exited;
    this.kills++;
    this.killing = false;
    await sleep(downMs);
    await this.start();
  }

  async metrics(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.port}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    return res.text();
  }

  /** Graceful stop (SIGTERM, SIGKILL after the grace). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const done = await Promise.race([
      this.exited.then(() => true),
      sleep(graceMs).then(() => false),
    ]);
    if (!done) {
      child.kill('SIGKILL');
      await this.exited;
    }
    this.child = undefined;
  }

  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }
}

/** A value of a Prometheus text exposition, summed over its label sets. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`)))
      total += Number(m[3]);
  }
  return total;
}
