/**
 * Dead-letter commands.
 *   tsx events/src/cli/dlq.ts list   [--topic dead-letters] [--consumer NAME] [--source TOPIC]
 *   tsx events/src/cli/dlq.ts replay [--topic dead-letters] [--consumer NAME] [--source TOPIC] [--offset N]...
 * Brokers from KAFKA_BROKERS (default 127.0.0.1:9092). Replay republishes to the source topic.
 */
import { parseArgs } from 'node:util';
import { createKafka } from '@shop/kafka';
import { listDeadLetters, replayDeadLetters, type DeadLetter } from '../consumer/dead-letters.ts';
import { TOPICS } from '../topics.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    topic: { type: 'string', default: TOPICS.deadLetters.name },
    consumer: { type: 'string' },
    source: { type: 'string' },
    offset: { type: 'string', multiple: true },
  },
});
const command = positionals[0];
if (command !== 'list' && command !== 'replay') {
  console.error(
    'usage: dlq <list|replay> [--topic T] [--consumer NAME] [--source TOPIC] [--offset N]',
  );
  process.exit(2);
}
const kafka = createKafka({
  clientId: 'dlq-cli',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
});
const filter = (l: DeadLetter) =>
  (!values.consumer || l.consumer === values.consumer) &&
  (!values.source || l.sourceTopic === values.source) &&
  (!values.offset || values.offset.includes(l.offset));
const letters = await listDeadLetters(kafka, { topic: values.topic, filter });
if (command === 'list') {
  for (const l of letters)
    console.log(
      [
        `${l.partition}:${l.offset}`,
        l.failedAt,
        l.consumer,
        `${l.sourceTopic}/${l.sourcePartition}@${l.sourceOffset}`,
        `attempts=${l.attempts}`,
        l.reason,
      ].join('  '),
    );
  console.log(`${letters.length} dead letter(s) on ${values.topic}`);
} else {
  const n = await replayDeadLetters(kafka, letters, { dlqTopic: values.topic });
  console.log(`replayed ${n} dead letter(s) to their source topics`);
}
