import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, stackDir } from './paths.ts';
import { sleep } from './ports.ts';
import { isAlive } from './process.ts';
import type { Progress } from './progress.ts';

const lockFile = (): string => path.join(stackDir(), 'run', 'up.lock');

let inProcess: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` while holding the stack lock. Two `up`s at once (a test global setup
 * in several processes, the start script next to a terminal) would otherwise both
 * see a service stopped and both start it. The lock file holds the owner's pid, so
 * a lock left by a killed process is taken over.
 */
export function withStackLock<T>(progress: Progress, fn: () => Promise<T>): Promise<T> {
  const run = inProcess.then(async () => {
    await acquire(progress);
    try {
      return await fn();
    } finally {
      rmSync(lockFile(), { force: true });
    }
  });
  inProcess = run.catch(() => undefined);
  return run;
}

async function acquire(progress: Progress): Promise<void> {
  ensureDir(path.dirname(lockFile()));
  let waiting = false;
  for (;;) {
    try {
      writeFileSync(lockFile(), `${process.pid}\n`, { flag: 'wx' });
      if (waiting) progress.done('stack');
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(lockFile(), 'utf8'), 10);
    } catch {
      continue; // released between our two calls
    }
    if (!Number.isInteger(owner) || !isAlive(owner)) {
      rmSync(lockFile(), { force: true });
      continue;
    }
    if (!waiting) progress.task('stack', `waiting for another \`stack up\` (pid ${owner})`);
    waiting = true;
    await sleep(250);
  }
}
