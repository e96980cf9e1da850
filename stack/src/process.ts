import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  accessSync,
  constants,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { ensureDir, logFile, pidFile } from './paths.ts';
import { sleep } from './ports.ts';

/** Absolute path of an executable on PATH (or in the sbin dirs a non-root PATH may lack), or undefined. */
export function which(bin: string): string | undefined {
  const dirs = (process.env.PATH ?? '')
    .split(':')
    .concat(['/usr/sbin', '/sbin', '/usr/local/sbin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const file = path.join(dir, bin);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

export interface DetachedOptions {
  /** host:port it serves, kept in the pid file so a later run with other env notices. */
  address: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/**
 * Starts a long-running server that must outlive the CLI: its own process group
 * (detached), output appended to .stack/logs/<svc>.log, pid in .stack/run/<svc>.pid.
 */
export function spawnDetached(
  svc: string,
  cmd: string,
  args: string[],
  opts: DetachedOptions,
): number {
  const log = logFile(svc);
  ensureDir(path.dirname(log));
  ensureDir(path.dirname(pidFile(svc)));
  const fd = openSync(log, 'a');
  try {
    writeFileSync(fd, `\n=== ${new Date().toISOString()} stack: ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    });
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    child.on('error', () => undefined);
    child.unref();
    writeFileSync(pidFile(svc), `${child.pid}\n${opts.address}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0 but is gone for our purposes.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * The stack's own process for `svc` (pid and the address it was started on), if
 * it is alive. The command line must contain `marker`, because after a reboot the
 * pid file may point at an unrelated process that reused the number.
 */
export function ownProcess(
  svc: string,
  marker: string,
): { pid: number; address: string } | undefined {
  const file = pidFile(svc);
  if (!existsSync(file)) return undefined;
  const [pidLine = '', address = ''] = readFileSync(file, 'utf8').split('\n');
  const pid = Number.parseInt(pidLine.trim(), 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && cmdline(pid).includes(marker))
    return { pid, address: address.trim() };
  rmSync(file, { force: true });
  return undefined;
}

/** Signal, wait up to `graceMs`, then SIGKILL the whole process group. */
export async function stopProcess(
  svc: string,
  pid: number,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<'stopped' | 'killed'> {
  let result: 'stopped' | 'killed' = 'stopped';
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    result = 'killed';
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    while (isAlive(pid)) await sleep(100);
  }
  rmSync(pidFile(svc), { force: true });
  return result;
}

/**
 * Runs a short command to completion, feeding each output line to `onLine` (for
 * progress summaries). Resolves with the exit code and the last lines of output.
 */
export function runCommand(
  cmd: string,
  args: string[],
  opts: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
    onLine?: (line: string) => void;
  } = {},
): Promise<{ code: number; tail: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    });
    const tail: string[] = [];
    let partial = '';
    const onData = (chunk: Buffer): void => {
      const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 40) tail.shift();
        opts.onLine?.(l);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (partial) tail.push(partial);
      resolve({ code: code ?? 1, tail });
    });
  });
}

export function runSync(cmd: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The last `n` non-empty lines of a service log, for error messages. */
export function logTail(svc: string, n = 1): string {
  try {
    const lines = readFileSync(logFile(svc), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}
