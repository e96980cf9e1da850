/**
 * The rate limiter's arithmetic: GCRA (generic cell rate algorithm), the "virtual scheduling"
 * form of a token bucket. A key's whole state is one number, its theoretical arrival time (TAT):
 * the moment at which its bucket would be full again. `limit` requests per `period` are allowed,
 * in a burst of up to `limit`, refilling smoothly at one request every `period / limit`.
 *
 * This module is the reference the Lua script in `scripts.ts` mirrors line by line; both use
 * milliseconds with fractions and store the TAT rounded to microseconds, so they agree exactly
 * (the integration test runs both over the same sequence and compares).
 */
export interface Rate {
  /** Requests allowed per period (and the largest burst). */
  limit: number;
  /** Period in milliseconds. */
  periodMs: number;
}

export interface GcraOutcome {
  allowed: boolean;
  /** Requests of cost 1 still allowed right now after this one. */
  remaining: number;
  /** Milliseconds until this request would be allowed; 0 when allowed. */
  retryAfterMs: number;
  /** Milliseconds until the key is back to a full bucket (its state can then be forgotten). */
  resetAfterMs: number;
  /** The TAT to store when allowed; null when denied (a denied request changes nothing). */
  newTat: number | null;
}

/** Tolerance for floating-point error in the `remaining` division (ms-scale numbers). */
const EPSILON = 1e-6;

/** Stored TATs keep microseconds: `%.3f` in Lua, the same rounding here. */
export const roundTat = (ms: number): number => Math.round(ms * 1000) / 1000;

export function checkRate(rate: Rate): void {
  if (!Number.isInteger(rate.limit) || rate.limit < 1)
    throw new RangeError(`rate limit must be a whole number >= 1 (got ${rate.limit})`);
  if (!Number.isFinite(rate.periodMs) || rate.periodMs < 1)
    throw new RangeError(`rate period must be >= 1 ms (got ${rate.periodMs})`);
}

export function checkCost(cost: number, rate: Rate): void {
  if (!Number.isInteger(cost) || cost < 1 || cost > rate.limit)
    throw new RangeError(`cost must be a whole number between 1 and ${rate.limit} (got ${cost})`);
}

/** One request of `cost` at `now` against the stored TAT (null: unknown key, a full bucket). */
export function gcra(storedTat: number | null, now: number, rate: Rate, cost = 1): GcraOutcome {
  const interval = rate.periodMs / rate.limit;
  const tat = storedTat === null ? now : Math.max(storedTat, now);
  const newTat = tat + interval * cost;
  const allowAt = newTat - rate.periodMs;
  if (now < allowAt) {
    return {
      allowed: false,
      remaining: Math.max(0, Math.floor((rate.periodMs - (tat - now)) / interval + EPSILON)),
      retryAfterMs: allowAt - now,
      resetAfterMs: tat - now,
      newTat: null,
    };
  }
  return {
    allowed: true,
    remaining: Math.max(0, Math.floor((rate.periodMs - (newTat - now)) / interval + EPSILON)),
    retryAfterMs: 0,
    resetAfterMs: newTat - now,
    newTat: roundTat(newTat),
  };
}

/** Gives back `cost` (a request that should not count after all); null: forget the key. */
export function refundTat(storedTat: number | null, now: number, rate: Rate, cost = 1) {
  if (storedTat === null) return null;
  const tat = storedTat - (rate.periodMs / rate.limit) * cost;
  return tat <= now ? null : roundTat(tat);
}
