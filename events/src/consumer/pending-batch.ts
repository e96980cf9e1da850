/** When a batching consumer writes: at `maxRows` rows, or `maxWaitMs` after the first message. */
export interface FlushPolicy {
  maxRows: number;
  maxWaitMs: number;
}

export interface CommitPoint {
  topic: string;
  partition: number;
  /** The next offset to read (Kafka commits "where to resume", the last offset + 1). */
  offset: string;
}

/**
 * The rows read since the last write, and the offsets that become safe to commit once those rows
 * are stored. Messages that add no rows (skipped or dead-lettered) still move the offsets on, so
 * a batch can be due with zero rows.
 */
export class PendingBatch<Row> {
  private rows: Row[] = [];
  private offsets = new Map<string, CommitPoint>();
  private firstAt: number | null = null;

  constructor(private readonly policy: FlushPolicy) {}

  get rowCount(): number {
    return this.rows.length;
  }

  get isEmpty(): boolean {
    return this.offsets.size === 0;
  }

  /** Adds what messages up to `lastOffset` of one partition produced. */
  add(topic: string, partition: number, lastOffset: string, rows: readonly Row[], now: number) {
    for (const row of rows) this.rows.push(row);
    // Latest wins: after a rebalance a partition may start over from an older committed offset,
    // and committing that older one is the safe side.
    this.offsets.set(`${topic}\u0000${partition}`, {
      topic,
      partition,
      offset: (BigInt(lastOffset) + 1n).toString(),
    });
    this.firstAt ??= now;
  }

  due(now: number): boolean {
    if (this.isEmpty) return false;
    return (
      this.rows.length >= this.policy.maxRows ||
      now - (this.firstAt ?? now) >= this.policy.maxWaitMs
    );
  }

  /** Hands the batch over and starts an empty one. */
  take(): { rows: Row[]; offsets: CommitPoint[] } {
    const taken = { rows: this.rows, offsets: [...this.offsets.values()] };
    this.rows = [];
    this.offsets = new Map();
    this.firstAt = null;
    return taken;
  }
}
