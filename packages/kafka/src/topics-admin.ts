import type { Admin } from 'kafkajs';

export interface TopicToEnsure {
  name: string;
  partitions: number;
  config?: Record<string, string>;
}

/** How long a topic just created may take to show up with a leader for every partition. */
const LEADERS_TIMEOUT_MS = 30_000;

/**
 * Creates the topics that do not exist yet and returns their names; existing topics are left
 * as they are (partition counts only grow by an explicit, reviewed change). Returns once every
 * partition of the created topics has a leader.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly TopicToEnsure[],
  replicationFactor = 1,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  // kafkajs' own waitForLeaders gives up on the first "This server does not host this
  // topic-partition": a KRaft broker answers that until its metadata cache has caught up with
  // the controller, which a loaded machine makes visible. So the wait is ours.
  await admin.createTopics({
    waitForLeaders: false,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
      configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
  await waitForLeaders(
    admin,
    missing.map((t) => t.name),
  );
  return missing.map((t) => t.name);
}

async function waitForLeaders(admin: Admin, names: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  let delayMs = 50;
  for (;;) {
    let reason: string;
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = topics.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (leaderless.length === 0) return;
      reason = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (error) {
      if (!isRetriable(error)) throw error;
      reason = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `topics ${names.join(', ')} not ready after ${LEADERS_TIMEOUT_MS} ms: ${reason}`,
      );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 500);
  }
}

const isRetriable = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { retriable?: boolean }).retriable === true ||
    ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(
      (error as { type?: string }).type ?? '',
    ));
