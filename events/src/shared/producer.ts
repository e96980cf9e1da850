import type { Kafka, Producer } from '@shop/kafka';

/**
 * The project's producer: idempotent with one request in flight, so a retried send never
 * duplicates or reorders a partition's messages. Topics are never created by a send (a typo'd
 * topic must fail, not appear): the stack and docker-compose create them.
 */
export function idempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
}
