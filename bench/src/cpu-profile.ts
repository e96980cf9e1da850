import path from 'node:path';

/** Where the benchmarks' V8 CPU profiles go (`npm run bench:profile -- <file>` reads one). */
export const PROFILE_DIR = path.resolve(import.meta.dirname, '../../.stack/profiles');

/** The process names BENCH_PROFILE lists (`BENCH_PROFILE=gateway,order`). */
const wantedProfiles = () => new Set(process.env.BENCH_PROFILE?.split(',').filter(Boolean));

/**
 * Settings that make the process `name` write a CPU profile when it exits, when BENCH_PROFILE
 * names it (or is `1`, for a bench profiling its one process); `{}` otherwise. `nodeOptions` are
 * the process's own NODE_OPTIONS, kept.
 */
export function profileEnv(name: string, nodeOptions = ''): Record<string, string> {
  const wanted = wantedProfiles();
  if (!wanted.has(name) && !wanted.has('1'))
    return nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
  const hook = `--import ${path.join(import.meta.dirname, 'cpu-profile-hook.mjs')}`;
  return {
    NODE_OPTIONS: [nodeOptions, hook].filter(Boolean).join(' '),
    CPU_PROFILE_DIR: PROFILE_DIR,
    CPU_PROFILE_NAME: name,
  };
}

/**
 * Starts afresh the profiles of the processes BENCH_PROFILE names (see cpu-profile-hook.mjs), so
 * they cover only what follows: a timed run, not start-up and warm-up.
 */
export function restartProfiles(processes: { name: string; pid: number | undefined }[]): void {
  const wanted = wantedProfiles();
  for (const { name, pid } of processes)
    if (pid && (wanted.has(name) || wanted.has('1'))) process.kill(pid, 'SIGUSR2');
}
