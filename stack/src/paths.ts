import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const stackPackageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(stackPackageDir, '..');

/** Everything the stack writes lives here (git-ignored); STACK_DIR moves it, e.g. for a throwaway test stack. */
export function stackDir(): string {
  return process.env.STACK_DIR
    ? path.resolve(process.env.STACK_DIR)
    : path.join(repoRoot, '.stack');
}

export const dataDir = (svc: string): string => path.join(stackDir(), 'data', svc);
export const logFile = (svc: string): string => path.join(stackDir(), 'logs', `${svc}.log`);
export const pidFile = (svc: string): string => path.join(stackDir(), 'run', `${svc}.pid`);
export const confDir = (svc: string): string => path.join(stackDir(), 'conf', svc);
export const cacheDir = (name: string): string => path.join(stackDir(), 'cache', name);

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A path for messages: relative to the repo when inside it, else absolute. */
export function displayPath(p: string): string {
  const rel = path.relative(repoRoot, p);
  return rel.startsWith('..') ? p : rel;
}
