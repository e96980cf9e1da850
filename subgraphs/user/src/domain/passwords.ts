import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Options } from '@node-rs/argon2';

export interface Argon2Cost {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

/** @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2 as Options['algorithm'];

/**
 * Argon2id password hashing. The PHC string stores its own parameters, so hashes made with an
 * older cost still verify, and `needsRehash` tells when one should be upgraded after a login.
 */
export class PasswordHasher {
  private readonly options: Options;
  /** A real hash of a random password: verified when no account matches, so timing is equal. */
  private readonly dummy: Promise<string>;

  constructor(private readonly cost: Argon2Cost) {
    this.options = {
      algorithm: ARGON2ID,
      memoryCost: cost.memoryKib,
      timeCost: cost.timeCost,
      parallelism: cost.parallelism,
    };
    // Made up front, so the first login for an unknown address is not slower than the rest.
    this.dummy = this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash matches nothing
    }
  }

  /** Spends the same time as a verify against a real account, and always fails. */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(await this.dummy, password);
    return false;
  }

  needsRehash(passwordHash: string): boolean {
    try {
      const used = parseOptions(passwordHash);
      return (
        used.algorithm !== ARGON2ID ||
        used.memoryCost < this.cost.memoryKib ||
        used.timeCost < this.cost.timeCost ||
        used.parallelism !== this.cost.parallelism
      );
    } catch {
      return true;
    }
  }
}
