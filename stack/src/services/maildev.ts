import { createRequire } from 'node:module';
import path from 'node:path';
import { dataDir, ensureDir } from '../paths.ts';
import { isPortOpen } from '../ports.ts';
import { spawnDetached } from '../process.ts';
import type { Service } from './types.ts';

/**
 * The `maildev` npm package (pinned in stack/versions.json and stack/package.json): an SMTP
 * server that keeps every message it receives, and a web inbox whose `GET /email` lists them
 * as JSON. Messages are written to .stack/data/maildev and read back on start, so a restart
 * keeps the inbox.
 */

/** maildev's entry script (node runs it); undefined when the package is not installed. */
export function maildevBin(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('maildev/package.json');
    return path.join(path.dirname(pkg), 'bin', 'maildev');
  } catch {
    return undefined;
  }
}

/** The arguments of a maildev process on `smtpPort`/`webPort`, storing mail in `mailDir`. */
export function maildevArgs(opts: {
  host: string;
  smtpPort: number;
  webPort: number;
  mailDir: string;
}): string[] {
  return [
    '--ip',
    opts.host,
    '--smtp',
    String(opts.smtpPort),
    '--web',
    String(opts.webPort),
    '--mail-directory',
    opts.mailDir,
    '--silent',
  ];
}

export const maildev: Service = {
  name: 'maildev',
  marker: () => dataDir('maildev'),
  stopSignal: 'SIGTERM',
  stopGraceMs: 5_000,
  readyTimeoutMs: 30_000,
  address: (e) => `smtp ${e.maildev.host}:${e.maildev.smtpPort}, inbox ${e.maildev.url}`,
  ports: (e) => [
    { host: e.maildev.host, port: e.maildev.smtpPort, env: 'STACK_MAILDEV_SMTP_PORT' },
    { host: e.maildev.host, port: e.maildev.webPort, env: 'STACK_MAILDEV_WEB_PORT' },
  ],

  /** The inbox answers its health route and the SMTP port accepts connections. */
  async healthy(e) {
    try {
      const res = await fetch(`${e.maildev.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (!res.ok || (await res.json()) !== true) return false;
    } catch {
      return false;
    }
    return isPortOpen(e.maildev.host, e.maildev.smtpPort);
  },

  async missingPrereqs() {
    return maildevBin()
      ? []
      : ['maildev: the `maildev` npm package is not installed — run `npm install`'];
  },

  async start({ endpoints: e }) {
    const mailDir = ensureDir(dataDir('maildev'));
    return spawnDetached(
      'maildev',
      process.execPath,
      [
        maildevBin()!,
        ...maildevArgs({
          host: e.maildev.host,
          smtpPort: e.maildev.smtpPort,
          webPort: e.maildev.webPort,
          mailDir,
        }),
      ],
      { address: maildev.address(e) },
    );
  },
};
