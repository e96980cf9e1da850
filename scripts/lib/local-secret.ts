import { randomBytes } from 'node:crypto';
import { generateSigningKeyPem } from '@shop/auth';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Secrets of a local run (the gateway-to-subgraph secret and the access-token signing key):
 * from the environment when set, otherwise generated once and kept under .stack/secrets
 * (git-ignored), so restarts keep issued tokens valid.
 */
async function kept(stackDir: string, name: string, make: () => Promise<string>): Promise<string> {
  const file = path.join(stackDir, 'secrets', name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const value = await make();
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, value, { mode: 0o600 });
    return value;
  }
}

export async function localSecrets(stackDir: string) {
  return {
    internalAuthSecret:
      process.env.INTERNAL_AUTH_SECRET ??
      (await kept(stackDir, 'internal-auth-secret', async () =>
        randomBytes(32).toString('base64url'),
      )),
    jwtPrivateKey:
      process.env.JWT_PRIVATE_KEY ??
      (await kept(stackDir, 'jwt-private-key.pem', generateSigningKeyPem)),
  };
}
