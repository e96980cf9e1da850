import { describe, expect, it } from 'vitest';
import { gcra, refundTat } from '../src/gcra.ts';

const rate = { limit: 5, periodMs: 900_000 }; // 5 per 15 min: one every 3 min
const t0 = 1_700_000_000_000;

/** Runs `n` requests at `now`, threading the stored TAT like Redis would. */
function run(n: number, now: number, tat: number | null = null, r = rate) {
  const outcomes = [];
  for (let i = 0; i < n; i++) {
    const outcome = gcra(tat, now, r);
    if (outcome.newTat !== null) tat = outcome.newTat;
    outcomes.push(outcome);
  }
  return { outcomes, tat };
}

describe('GCRA', () => {
  it('allows a burst of `limit`, counting remaining down, then denies', () => {
    const { outcomes } = run(6, t0);
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, true, true, false]);
    expect(outcomes.map((o) => o.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
  });

  it('tells a denied caller exactly when one more request fits', () => {
    const { outcomes, tat } = run(6, t0);
    expect(outcomes[5]!.retryAfterMs).toBe(180_000);
    expect(outcomes[5]!.resetAfterMs).toBe(900_000);
    expect(gcra(tat, t0 + 179_999, rate).allowed).toBe(false);
    const later = gcra(tat, t0 + 180_000, rate);
    expect(later).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('does not let denied requests extend the wait', () => {
    const { tat } = run(50, t0);
    expect(tat).toBe(t0 + 900_000);
  });

  it('refills smoothly rather than all at once at a window edge', () => {
    const { tat } = run(5, t0);
    // Half a period later, half the allowance is back (2.5 -> 2 whole requests).
    const { outcomes } = run(3, t0 + 450_000, tat);
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, false]);
  });

  it('forgets a key whose bucket is full again', () => {
    const { tat } = run(5, t0);
    const fresh = gcra(tat, t0 + 900_000, rate);
    expect(fresh).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('charges a cost of several requests at once and refuses one that does not fit', () => {
    const first = gcra(null, t0, rate, 3);
    expect(first).toMatchObject({ allowed: true, remaining: 2 });
    const second = gcra(first.newTat, t0, rate, 3);
    expect(second).toMatchObject({ allowed: false, remaining: 2, retryAfterMs: 180_000 });
  });

  it('counts exactly with intervals that are not whole milliseconds', () => {
    const thirds = { limit: 3, periodMs: 1000 }; // 333.33.. ms each
    const { outcomes, tat } = run(4, t0, null, thirds);
    expect(outcomes.map((o) => o.remaining)).toEqual([2, 1, 0, 0]);
    expect(outcomes[3]!.allowed).toBe(false);
    // After 1 s every slot is back, and remaining does not drop by one to rounding.
    expect(gcra(tat, t0 + 1000, thirds).remaining).toBe(2);
  });

  it('refund gives one request back and forgets a key that is full', () => {
    const { tat } = run(5, t0);
    const refunded = refundTat(tat, t0, rate);
    expect(refunded).toBe(t0 + 720_000);
    expect(gcra(refunded, t0, rate)).toMatchObject({ allowed: true, remaining: 0 });
    expect(refundTat(t0 + 180_000, t0, rate)).toBeNull();
    expect(refundTat(null, t0, rate)).toBeNull();
  });
});
