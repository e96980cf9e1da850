import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../src/domain/passwords.ts';

const cheap = new PasswordHasher({ memoryKib: 1024, timeCost: 1, parallelism: 1 });

describe('password hashing', () => {
  it('makes salted Argon2id hashes that verify only the right password', async () => {
    const a = await cheap.hash('correct horse 1');
    const b = await cheap.hash('correct horse 1');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(a).not.toBe(b);
    expect(await cheap.verify(a, 'correct horse 1')).toBe(true);
    expect(await cheap.verify(a, 'correct horse 2')).toBe(false);
  });

  it('treats a malformed stored hash as no match', async () => {
    expect(await cheap.verify('not-a-hash', 'anything')).toBe(false);
  });

  it('verifies against a dummy hash when there is no account, always failing', async () => {
    expect(await cheap.verifyNobody('whatever')).toBe(false);
  });

  it('asks for a rehash when a stored hash is cheaper than the current cost', async () => {
    const strong = new PasswordHasher({ memoryKib: 19_456, timeCost: 2, parallelism: 1 });
    const old = await cheap.hash('pw-0123456789');
    expect(strong.needsRehash(old)).toBe(true);
    expect(cheap.needsRehash(old)).toBe(false);
    expect(strong.needsRehash(await strong.hash('pw-0123456789'))).toBe(false);
    expect(strong.needsRehash('garbage')).toBe(true);
  });
});
