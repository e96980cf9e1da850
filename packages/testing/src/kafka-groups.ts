import type { Kafka } from '@shop/kafka';

/**
 * Sets new consumer groups at the end of the topics, so a test's consumers see only the events
 * of its own run (the broker keeps every earlier run's). Explicit offsets: resetOffsets(latest)
 * stores the -1 sentinel, which a new group reads as "no offset" and then starts from the
 * beginning.
 */
export async function startGroupsAtEnd(
  kafka: Kafka,
  groupIds: string[],
  topics: string[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        offset: p.high,
      }));
      for (const groupId of groupIds) await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}
