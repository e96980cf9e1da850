import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Builds the storefront for production (React Router's client and server bundles, then its
 * server). Through turbo, so an unchanged storefront is taken from turbo's cache in a second.
 * The GraphQL types and route types must be generated first (`npm run generate`).
 */
export function buildStorefront(options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(root, 'node_modules/.bin/turbo'),
      [
        'run',
        'build',
        '--filter=storefront',
        `--output-logs=${options.quiet ? 'errors-only' : 'new-only'}`,
      ],
      {
        cwd: root,
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
        stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`storefront build failed (exit ${code})`)),
    );
  });
}
