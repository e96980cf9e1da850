/**
 * Checks that kafkajs (the client the services use) works against the broker the
 * stack runs: admin createTopics/listTopics, an idempotent acks=-1 producer and a
 * consumer group (join, sync, commit). Kafka 4.0 dropped old protocol versions
 * (KIP-896), so this is what decided the pinned broker version; re-run it after
 * changing `kafka` in stack/versions.json.
 *
 *   npx tsx stack/scripts/verify-kafka.ts [broker=127.0.0.1:9092]
 */
import { randomUUID } from 'node:crypto';
import { createKafka, logLevel, Partitioners } from '@shop/kafka';

const broker = process.argv[2] ?? `127.0.0.1:${process.env.STACK_KAFKA_PORT ?? '9092'}`;

export async function verifyKafka(
  brokerAddress: string,
  print: (line: string) => void = () => undefined,
): Promise<void> {
  // kafkajs logs retriable errors (coordinator loading, topic exists) at ERROR; only the outcome matters here.
  const kafka = createKafka({
    clientId: 'stack-verify',
    brokers: [brokerAddress],
    logLevel: logLevel.NOTHING,
  });
  const topic = `stack-verify-${randomUUID().slice(0, 8)}`;
  const console = { log: print };
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const again = await admin.createTopics({
    topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const listed = (await admin.listTopics()).includes(topic);
  console.log(`admin: createTopics=${created} (again=${again}) listTopics has topic=${listed}`);

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const sent = await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: `v${i}` })),
  });
  console.log(`producer: idempotent acks=-1 sent to ${sent.length} partition(s)`);

  const groupId = `${topic}-group`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`consumer got ${received}/10 messages in 30s`)),
      30_000,
    );
    void consumer.run({
      eachMessage: async () => {
        received += 1;
        if (received === 10) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.commitOffsets([]); // flushes anything eachMessage auto-resolved
  await consumer.disconnect();
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0]?.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  console.log(`consumer group: received ${received}, committed offsets sum=${committed}`);
  if (committed !== 10)
    throw new Error(`expected committed offsets to sum to 10, got ${committed}`);

  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  verifyKafka(broker, (line) => console.log(line)).then(
    () => console.log(`OK: kafkajs works against ${broker}`),
    (err: unknown) => {
      console.error('FAILED:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
