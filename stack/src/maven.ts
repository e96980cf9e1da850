import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.ts';
import type { Progress } from './progress.ts';
import { displayPath, ensureDir } from './paths.ts';
import { runCommand } from './process.ts';

// Maven colours its [ERROR] lines even when piped; strip the escapes for a one-line message.
// eslint-disable-next-line no-control-regex
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;

export interface MavenFetch {
  svc: string;
  pom: string;
  /** Cache directory; `.complete` inside it marks a finished fetch. */
  outDir: string;
  /** Files whose content decides whether the cache is still valid (pom, Java sources). */
  inputs: string[];
  goals: string[];
  props: Record<string, string>;
  progress: Progress;
}

function inputsKey(f: MavenFetch): string {
  const h = createHash('sha256');
  for (const file of f.inputs) h.update(file).update(readFileSync(file));
  h.update(JSON.stringify(f.props)).update(f.goals.join(' '));
  return h.digest('hex');
}

/**
 * Runs Maven once per version/inputs and caches the result. The marker is written
 * last, so an interrupted download is redone rather than half-used. Maven's output
 * is reduced to a count of downloaded files on the progress line.
 */
export async function mavenFetch(f: MavenFetch): Promise<'cached' | 'fetched'> {
  const marker = path.join(f.outDir, '.complete');
  const key = inputsKey(f);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === key) return 'cached';

  rmSync(f.outDir, { recursive: true, force: true });
  ensureDir(f.outDir);
  let downloaded = 0;
  f.progress.task(f.svc, 'maven: resolving jars');
  const args = [
    '-B',
    '-f',
    f.pom,
    ...Object.entries(f.props).map(([k, v]) => `-D${k}=${v}`),
    ...f.goals,
  ];
  const result = await runCommand('mvn', args, {
    onLine(line) {
      if (line.includes('Downloaded from')) {
        downloaded += 1;
        f.progress.task(f.svc, `maven: ${downloaded} files downloaded`);
      }
    },
  });
  if (result.code !== 0) {
    const error =
      result.tail.filter((l) => l.includes('[ERROR]') && l.trim() !== '[ERROR]')[0] ??
      result.tail.slice(-1)[0];
    throw new StackError(`${f.svc}: mvn failed: ${error?.replace(ANSI_COLOR, '').trim()}`);
  }
  writeFileSync(marker, `${key}\n`);
  f.progress.info(
    f.svc,
    `jars cached in ${displayPath(f.outDir)} (${downloaded} files downloaded by Maven)`,
  );
  return 'fetched';
}
