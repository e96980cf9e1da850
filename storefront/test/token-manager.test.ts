import { describe, expect, it, vi } from 'vitest';
import {
  renewAt,
  TokenManager,
  type RefreshOutcome,
  type SessionChange,
  type TokenGrant,
} from '../app/auth/token-manager.ts';

const user = { id: 'u1', name: 'Ann', email: 'ann@example.com', role: 'CUSTOMER' as const };
const grant = (accessToken: string, expiresIn = 900): TokenGrant => ({
  accessToken,
  expiresIn,
  user,
});

function setup(options: { mayHaveSession?: boolean } = {}) {
  let now = 1_000_000;
  const pending: ((outcome: RefreshOutcome) => void)[] = [];
  const refresh = vi.fn(() => new Promise<RefreshOutcome>((resolve) => pending.push(resolve)));
  let lockHeld = false;
  const lockOverlaps: boolean[] = [];
  const manager = new TokenManager({
    refresh,
    mayHaveSession: () => options.mayHaveSession ?? true,
    now: () => now,
    withLock: async (task) => {
      lockOverlaps.push(lockHeld);
      lockHeld = true;
      try {
        return await task();
      } finally {
        lockHeld = false;
      }
    },
  });
  const changes: SessionChange['type'][] = [];
  manager.onChange((change) => changes.push(change.type));
  return {
    manager,
    refresh,
    changes,
    lockOverlaps,
    advance: (ms: number) => (now += ms),
    answer: (outcome: RefreshOutcome) => pending.shift()!(outcome),
  };
}

describe('TokenManager', () => {
  it('uses the token it holds while it is fresh, without refreshing', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1'));
    expect(await t.manager.accessToken()).toBe('a1');
    t.advance(800_000);
    expect(await t.manager.accessToken()).toBe('a1');
    expect(t.refresh).not.toHaveBeenCalled();
    expect(t.changes).toEqual(['signed-in']);
  });

  it('renews before expiry: a minute early, or at three quarters of a short lifetime', () => {
    expect(renewAt(grant('x', 900), 0)).toBe(840_000);
    expect(renewAt(grant('x', 30), 0)).toBe(22_500);
  });

  it('shares one refresh between every caller that needs a new token', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1'));
    t.advance(850_000);
    const calls = [t.manager.accessToken(), t.manager.accessToken(), t.manager.accessToken()];
    expect(t.refresh).toHaveBeenCalledTimes(1);
    t.answer({ kind: 'granted', grant: grant('a2') });
    expect(await Promise.all(calls)).toEqual(['a2', 'a2', 'a2']);
    expect(t.changes).toEqual(['signed-in', 'renewed']);
  });

  it('refreshes again after the shared refresh ended, one at a time, under the lock', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1', 60));
    t.advance(60_000);
    const first = t.manager.accessToken();
    t.answer({ kind: 'granted', grant: grant('a2', 60) });
    expect(await first).toBe('a2');
    t.advance(60_000);
    const second = t.manager.accessToken();
    t.answer({ kind: 'granted', grant: grant('a3', 60) });
    expect(await second).toBe('a3');
    expect(t.refresh).toHaveBeenCalledTimes(2);
    expect(t.lockOverlaps).toEqual([false, false]);
  });

  it('after a rejected token, uses a newer one if another caller already renewed', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1'));
    t.advance(850_000);
    const renewal = t.manager.accessToken();
    t.answer({ kind: 'granted', grant: grant('a2') });
    await renewal;
    // A request sent with a1 comes back refused: a2 is the answer, no second refresh.
    expect(await t.manager.renewAfterRejection('a1')).toBe('a2');
    expect(t.refresh).toHaveBeenCalledTimes(1);
    // a2 itself refused (revoked meanwhile): a real refresh.
    const again = t.manager.renewAfterRejection('a2');
    t.answer({ kind: 'granted', grant: grant('a3') });
    expect(await again).toBe('a3');
  });

  it('an ended session clears the token and says so once', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1'));
    const rejected = t.manager.renewAfterRejection('a1');
    t.answer({ kind: 'ended' });
    expect(await rejected).toBeNull();
    expect(t.manager.user).toBeNull();
    expect(t.changes).toEqual(['signed-in', 'ended']);
  });

  it('a page load with a session cookie signs in through one refresh; without one it asks nothing', async () => {
    const withCookie = setup({ mayHaveSession: true });
    const token = withCookie.manager.accessToken();
    withCookie.answer({ kind: 'granted', grant: grant('a1') });
    expect(await token).toBe('a1');
    expect(withCookie.changes).toEqual(['signed-in']);

    const guest = setup({ mayHaveSession: false });
    expect(await guest.manager.accessToken()).toBeNull();
    expect(guest.refresh).not.toHaveBeenCalled();
  });

  it('a failed refresh (network) keeps the session and lets the next call try again', async () => {
    const t = setup();
    t.manager.signedIn(grant('a1', 60));
    t.advance(60_000);
    const failing = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch'));
    t.refresh.mockImplementationOnce(failing);
    await expect(t.manager.accessToken()).rejects.toThrow('Failed to fetch');
    expect(t.manager.user).toEqual(user);
    const retry = t.manager.accessToken();
    t.answer({ kind: 'granted', grant: grant('a2', 60) });
    expect(await retry).toBe('a2');
  });

  it('signing out forgets the token', async () => {
    const t = setup({ mayHaveSession: false });
    t.manager.signedIn(grant('a1'));
    t.manager.signedOut();
    expect(await t.manager.accessToken()).toBeNull();
    expect(t.changes).toEqual(['signed-in', 'signed-out']);
  });
});
