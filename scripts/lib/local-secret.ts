import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The gateway-to-subgraph secret for a local run: INTERNAL_AUTH_SECRET when set, otherwise one
 * generated once and kept under .stack/ (git-ignored), so restarts keep working together.
 */
export function localInternalSecret(stackDir: string): string {
  if (process.env.INTERNAL_AUTH_SECRET) return process.env.INTERNAL_AUTH_SECRET;
  const file = path.join(stackDir, 'secrets', 'internal-auth-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
