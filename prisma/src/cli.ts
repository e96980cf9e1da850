import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const PRISMA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRISMA_CLI = require.resolve('prisma/build/index.js');

export interface PrismaRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the Prisma CLI for one service's schema, through that service's prisma.config.ts. */
export function runPrisma(
  service: string,
  args: string[],
  databaseUrl: string,
): Promise<PrismaRun> {
  const cwd = path.join(PRISMA_ROOT, service);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args, '--config', './prisma.config.ts'], {
      cwd,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export async function runPrismaOrThrow(service: string, args: string[], databaseUrl: string) {
  const run = await runPrisma(service, args, databaseUrl);
  if (run.code !== 0) {
    const detail = (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`prisma ${args[0]} for ${service} failed: ${detail}`);
  }
  return run;
}
