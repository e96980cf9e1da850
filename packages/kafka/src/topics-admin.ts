import type { Admin } from 'kafkajs';

export interface TopicToEnsure {
  name: string;
  partitions: number;
  config?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet and returns their names; existing topics are left
 * as they are (partition counts only grow by an explicit, reviewed change).
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly TopicToEnsure[],
  replicationFactor = 1,
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
      configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((t) => t.name);
}
