/**
 * The chaos switch (off by default): faults injected at a configured rate, for demonstrations
 * and the reliability tests. Rates are probabilities in [0, 1].
 */
export interface ChaosOptions {
  /** A publish fails before reaching Kafka (the batch is retried). */
  publishFailureRate?: number;
  /** The relay "crashes" after publishing a batch and before marking it sent (a duplicate). */
  crashRate?: number;
  /** A consumer handler throws before running its effect. */
  handlerFailureRate?: number;
  random?: () => number;
}

export class ChaosError extends Error {
  override name = 'ChaosError';
}

export function chaosHits(rate: number | undefined, random: () => number = Math.random): boolean {
  return rate !== undefined && rate > 0 && random() < rate;
}
