/**
 * Consumer lag: how many messages of each partition a consumer group has not committed yet (the
 * partition's high watermark minus the group's committed offset). Read from the broker with an
 * admin client, the way lag exporters do, so it counts what the group has committed rather than
 * what one consumer believes it has read: a stuck handler, a crashed kafkajs consumer or a slow
 * sink all show as lag that grows.
 */
import type { Admin, Kafka } from '@shop/kafka';

/** One consumer group whose lag a worker reports. */
export interface LagSubscription {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  /**
   * Where the group starts on a partition it never committed: from the beginning, all of the
   * partition is lag; from the end, none of it is.
   */
  fromBeginning: boolean;
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/*
 * The consumer runtimes register the stats object they expose: serveWorker is given those stats
 * objects (StatsSource) by every worker, so it finds each source's group without the workers
 * passing anything new.
 */
const subscriptions = new WeakMap<object, LagSubscription>();

export function registerLagSubscription(stats: object, subscription: LagSubscription): void {
  subscriptions.set(stats, subscription);
}

/** The consumer group behind a consumer's stats object, if it is one of the runtimes'. */
export function lagSubscriptionOf(stats: object): LagSubscription | undefined {
  return subscriptions.get(stats);
}

/** A committed offset ('-1' when none) against a partition's low and high watermarks. */
export function partitionLag(
  committed: string,
  watermarks: { low: string; high: string },
  fromBeginning: boolean,
): number {
  const high = Number(watermarks.high);
  const offset = Number(committed);
  if (offset >= 0) return Math.max(0, high - offset);
  return fromBeginning ? Math.max(0, high - Number(watermarks.low)) : 0;
}

export interface LagReaderOptions {
  /** Reads at most this often; scrapes in between get the last reading (default 5 s). */
  minIntervalMs?: number;
  /**
   * A reading that takes longer is not waited for: the scrape gets the last one (default 1.5 s,
   * well inside a scrape's timeout, so a slow broker never makes the worker look down).
   */
  timeoutMs?: number;
}

/**
 * Reads the lag of some groups with one admin client, at most every `minIntervalMs` however
 * often it is asked: one fetchOffsets per group and one fetchTopicOffsets per topic per reading.
 * It reads only when asked (on a scrape), so nothing runs where nobody scrapes.
 */
export class ConsumerLagReader {
  private admin: Admin | undefined;
  private connected: Promise<void> | undefined;
  private last: { at: number; lags: PartitionLag[] } | undefined;
  private inFlight: Promise<PartitionLag[]> | undefined;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly groups: readonly LagSubscription[],
    options: LagReaderOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 1500;
  }

  /**
   * The latest reading: a new one when the last is older than `minIntervalMs`. A reading that
   * fails or takes too long leaves the previous one (or none) in place; the error is thrown to
   * the caller only when there is nothing to answer with.
   */
  async read(): Promise<PartitionLag[]> {
    if (this.last && Date.now() - this.last.at < this.minIntervalMs) return this.last.lags;
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('consumer lag: reading timed out')),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.inFlight, timeout]);
    } catch (error) {
      // A stale reading is not shown as current: without one, the series are left out.
      if (this.last && Date.now() - this.last.at < 4 * this.minIntervalMs) return this.last.lags;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetch(): Promise<PartitionLag[]> {
    const admin = await this.connect();
    const topics = [...new Set(this.groups.flatMap((g) => g.topics))];
    const watermarks = new Map(
      await Promise.all(
        topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const),
      ),
    );
    const lags: PartitionLag[] = [];
    for (const group of this.groups) {
      const committed = await admin.fetchOffsets({
        groupId: group.groupId,
        topics: [...group.topics],
      });
      for (const { topic, partitions } of committed) {
        const marks = watermarks.get(topic) ?? [];
        for (const { partition, offset } of partitions) {
          const mark = marks.find((m) => m.partition === partition);
          if (!mark) continue;
          lags.push({
            group: group.groupId,
            topic,
            partition,
            lag: partitionLag(offset, mark, group.fromBeginning),
          });
        }
      }
    }
    this.last = { at: Date.now(), lags };
    return lags;
  }

  private async connect(): Promise<Admin> {
    if (!this.admin) {
      // Few retries: a scrape waits for at most timeoutMs anyway, and the next one tries again.
      const admin = this.kafka.admin({ retry: { retries: 1 } });
      this.admin = admin;
      this.connected = admin.connect().catch((error: unknown) => {
        this.admin = undefined;
        throw error;
      });
    }
    await this.connected;
    return this.admin!;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await this.inFlight?.catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
  }
}
