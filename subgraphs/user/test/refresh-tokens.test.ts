import { describe, expect, it } from 'vitest';
import {
  hashRefreshToken,
  isRefreshTokenShaped,
  judgeRefreshToken,
  newRefreshToken,
  type StoredRefreshToken,
} from '../src/domain/refresh-tokens.ts';

const now = new Date('2026-01-01T12:00:00Z');
const token = (over: Partial<StoredRefreshToken> = {}): StoredRefreshToken => ({
  id: 't1',
  userId: 'u1',
  familyId: 'f1',
  expiresAt: new Date(now.getTime() + 60_000),
  revokedAt: null,
  replacedById: null,
  ...over,
});

describe('refresh tokens', () => {
  it('are 256 random bits in 43 base64url characters, never repeated', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newRefreshToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(isRefreshTokenShaped(t)).toBe(true);
    expect(Buffer.from([...tokens][0]!, 'base64url')).toHaveLength(32);
  });

  it('are stored as a SHA-256 hex digest, not in clear', () => {
    const t = newRefreshToken();
    expect(hashRefreshToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(t)).not.toContain(t);
  });

  it('refuses malformed tokens by shape', () => {
    expect(isRefreshTokenShaped('short')).toBe(false);
    expect(isRefreshTokenShaped(`${newRefreshToken()}x`)).toBe(false);
    expect(isRefreshTokenShaped('+'.repeat(43))).toBe(false);
  });

  it('rotates a live token', () => {
    expect(judgeRefreshToken(token(), now)).toBe('rotate');
  });

  it('treats a rotated token as reuse, even once expired or revoked', () => {
    expect(judgeRefreshToken(token({ replacedById: 't2', revokedAt: now }), now)).toBe('reuse');
    expect(
      judgeRefreshToken(token({ replacedById: 't2', expiresAt: new Date(now.getTime() - 1) }), now),
    ).toBe('reuse');
  });

  it('refuses unknown, expired and revoked (signed-out) tokens', () => {
    expect(judgeRefreshToken(null, now)).toBe('refuse');
    expect(judgeRefreshToken(token({ expiresAt: now }), now)).toBe('refuse');
    expect(judgeRefreshToken(token({ revokedAt: now }), now)).toBe('refuse');
  });
});
