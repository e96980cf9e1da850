import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a value a client sent is one of some secret settings (a token of secret() or
 * secretList()), in constant time: both sides are hashed first, so neither the length of a
 * secret nor where a guess differs shows in the time taken, and every secret is compared.
 */
export class SecretMatcher {
  private readonly digests: Buffer[];

  constructor(secrets: readonly string[]) {
    this.digests = secrets.map(digest);
  }

  matches(given: string | string[] | undefined): boolean {
    if (typeof given !== 'string' || given === '' || this.digests.length === 0) return false;
    const candidate = digest(given);
    let found = false;
    for (const known of this.digests) found = timingSafeEqual(known, candidate) || found;
    return found;
  }
}
