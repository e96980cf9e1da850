/**
 * npm run stack -- <up|status|down|logs <service>>
 *
 * Exit codes: 0 ok, 1 a service failed (message + log path), 2 a prerequisite is
 * missing or a port is taken (one line each saying what to install or free).
 */
import { createReadStream, existsSync, statSync, watchFile } from 'node:fs';
import { PrereqError, StackError, errorMessage } from './errors.ts';
import { logFile, repoRoot } from './paths.ts';
import { consoleProgress } from './progress.ts';
import { down, readLog, SERVICE_NAMES, serviceByName, status, up } from './stack.ts';
import path from 'node:path';
import type { ServiceName } from './services/types.ts';

const USAGE = `usage: npm run stack -- <command>
  up [service...]    start every (or the named) service not running yet (idempotent)
  status             table of services: address, state, managed-by
  down [service...]  stop what the stack started (data is kept; external servers untouched)
  logs <service> [-n N] [-f]
                     last N (100) lines of .stack/logs/<service>.log; -f follows
services: ${SERVICE_NAMES.join(', ')}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Service names from the command line; unknown ones are a usage error. */
function serviceArgs(args: string[]): ServiceName[] | undefined {
  if (args.length === 0) return undefined;
  const unknown = args.filter((a) => !serviceByName(a));
  if (unknown.length)
    throw new PrereqError(
      `unknown service ${unknown.join(', ')}: choose from ${SERVICE_NAMES.join(', ')}`,
    );
  return args as ServiceName[];
}

async function cmdUp(args: string[]): Promise<void> {
  const progress = consoleProgress();
  const t0 = Date.now();
  try {
    const services = serviceArgs(args);
    const result = await up({ progress, ...(services ? { services } : {}) });
    progress.close();
    const started = Object.values(result.services).filter((s) => s.action === 'started').length;
    console.log(
      started
        ? `stack up in ${((Date.now() - t0) / 1000).toFixed(1)}s`
        : 'stack already up: nothing to do',
    );
  } finally {
    progress.close();
  }
}

async function cmdStatus(): Promise<number> {
  const rows = await status();
  console.log(
    table([
      ['SERVICE', 'ADDRESS', 'STATE', 'MANAGED-BY'],
      ...rows.map((r) => [r.service, r.address, r.state, r.managedBy]),
    ]),
  );
  return rows.every((r) => r.state === 'healthy') ? 0 : 1;
}

async function cmdLogs(args: string[]): Promise<number> {
  const name = args.find((a) => !a.startsWith('-') && !/^\d+$/.test(a));
  if (!name || !serviceByName(name)) {
    console.error(`stack logs: name a service: ${SERVICE_NAMES.join(', ')}`);
    return 2;
  }
  const nIdx = args.indexOf('-n');
  const lines = nIdx >= 0 ? Number(args[nIdx + 1] ?? 100) : 100;
  const text = readLog(name, lines);
  if (text === undefined) {
    console.error(
      `stack logs: no log yet for ${name} (${path.relative(repoRoot, logFile(name))}); the stack has not started it`,
    );
    return 1;
  }
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  if (args.includes('-f') || args.includes('--follow')) {
    const file = logFile(name);
    let pos = statSync(file).size;
    watchFile(file, { interval: 500 }, (cur) => {
      if (cur.size < pos) pos = 0;
      if (cur.size > pos && existsSync(file)) {
        createReadStream(file, { start: pos, end: cur.size - 1 }).pipe(process.stdout, {
          end: false,
        });
        pos = cur.size;
      }
    });
    await new Promise(() => undefined); // until Ctrl-C
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      await cmdUp(rest);
      return 0;
    case 'status':
      return cmdStatus();
    case 'down': {
      const progress = consoleProgress();
      const stopped = await down(progress, serviceArgs(rest));
      progress.close();
      if (stopped.length === 0)
        console.log(
          'nothing to stop: the stack runs no process (external servers are never stopped)',
        );
      return 0;
    }
    case 'logs':
      return cmdLogs(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${cmd}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (process.env.STACK_DEBUG) console.error(err);
    if (err instanceof PrereqError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error(err instanceof StackError ? err.message : `stack: ${errorMessage(err)}`);
    process.exit(1);
  },
);
