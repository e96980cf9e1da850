import { createKafka } from '@shop/kafka';

/**
 * Moves the consumer groups of the system `prefix` (`<prefix>-saga`, ...) to the end of their
 * topics. The broker is shared by every system on the machine (the test suite's, the
 * benchmarks', `npm start`'s), a private system's groups outlive its run, and on its next start
 * they would first work off everything the others published since: 10,000 events and more after
 * a benchmark or a test run, minutes before the system's own first order is seen (whole-system
 * tests timed out on it; benchmarks measured it as idle CPU). A private system starts as a fresh
 * deployment does, with no history. Never for `npm start`'s system: what its services published
 * while its workers were down is work to finish.
 */
export async function startGroupsAtTopicEnds(brokers: string[], prefix: string): Promise<void> {
  const admin = createKafka({ clientId: 'system-groups', brokers }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups.filter((g) => g.groupId.startsWith(`${prefix}-`))) {
      for (const { topic } of await admin.fetchOffsets({ groupId })) {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
        });
      }
    }
  } finally {
    await admin.disconnect();
  }
}
