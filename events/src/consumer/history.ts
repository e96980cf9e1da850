import { int, loadConfig, optional } from '@shop/config';
import type { Kafka } from '@shop/kafka';
import type { Logger } from '@shop/logging';

/** Every process's consumer history setting (read from the process environment, like tracing's). */
export const historySettings = {
  /**
   * Epoch milliseconds. When set, each consumer group starts at the first event published at or
   * after this instant wherever its committed offset is older (or missing). For private systems
   * on a shared broker (the tests', the benchmarks'): their groups would otherwise work off
   * everything every other system ever published (a new group reads from the beginning, an old
   * one from its last run) before their own first event. Unset (a deployment, `npm start`):
   * what was published while a worker was down is work to finish.
   */
  EVENTS_HISTORY_START: optional(int({ min: 0, max: Number.MAX_SAFE_INTEGER })),
};

/** The history start of this process's environment, if any. */
export const historyStartOf = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(historySettings, env).EVENTS_HISTORY_START;

/**
 * Before a consumer of `groupId` first joins: skips the history before `start` (see
 * historySettings; by default the process environment's). Failing to is logged, not fatal: a
 * restarted worker whose old member the group still waits for cannot set offsets, and its own
 * commits are past the history anyway.
 */
export async function skipHistory(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  start: number | undefined = historyStartOf(),
  logger?: Logger,
): Promise<void> {
  if (start === undefined) return;
  try {
    await skipHistoryBefore(kafka, groupId, topics, start, logger);
  } catch (error) {
    logger?.warn({ err: error, groupId }, 'could not move the consumer group past the history');
  }
}

/**
 * Moves group `groupId` forward on `topics` to the offsets of the first events published at or
 * after `startMs`, where its committed offset is behind them. Before the group's consumer joins:
 * offsets can only be set on a group without members.
 */
export async function skipHistoryBefore(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  startMs: number,
  logger?: Logger,
): Promise<void> {
  const behind: { topic: string; partition: number; offset: string }[] = [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const current = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(
        topic,
        startMs,
      )) {
        // A missing commit is -1: every start is ahead of it.
        const at = Number(current.find((p) => p.partition === partition)?.offset ?? -1);
        if (at < Number(offset)) behind.push({ topic, partition, offset });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (behind.length === 0) return;
  await commitAsEmptyGroup(kafka, groupId, behind);
  logger?.info(
    { groupId, partitions: behind.length, historyStart: new Date(startMs).toISOString() },
    'consumer group moved past the history before its system started',
  );
}

/**
 * Commits `offsets` for a group that has no members, by joining it once for all its topics.
 * kafkajs' `admin.setOffsets` does the same one topic at a time, each waiting out a whole fetch
 * wait (5 s): 15 s before the saga's consumer could start.
 */
async function commitAsEmptyGroup(
  kafka: Kafka,
  groupId: string,
  offsets: { topic: string; partition: number; offset: string }[],
): Promise<void> {
  const topics = [...new Set(offsets.map((o) => o.topic))];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  try {
    await consumer.connect();
    const { state } = await consumer.describeGroup();
    if (state !== 'Empty' && state !== 'Dead')
      throw new Error(`group ${groupId} has members (${state}): its offsets cannot be set`);
    for (const topic of topics) await consumer.subscribe({ topic });
    // As kafkajs' setOffsets does: the seeks are queued before the join (run() creates the group
    // state at once), so the first fetch after it commits them; nothing is read (all paused).
    const fetched = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
    });
    consumer.pause(topics.map((topic) => ({ topic })));
    for (const { topic, partition, offset } of offsets) consumer.seek({ topic, partition, offset });
    await fetched;
  } finally {
    await consumer.disconnect();
  }
}
