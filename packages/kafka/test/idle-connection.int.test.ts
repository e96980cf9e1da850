import { createRequire } from 'node:module';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafka, type Producer } from '../src/index.ts';

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: { checkPendingRequests(): void };
};

let producer: Producer | undefined;
afterAll(async () => {
  await producer?.disconnect();
});

describe('an idle Kafka connection', () => {
  it('leaves its request queue alone (kafkajs 2.2.4 checked it every millisecond)', async () => {
    const kafka = createKafka({ clientId: 'idle-test', brokers: inject('stack').kafka.brokers });
    producer = kafka.producer();
    await producer.connect();
    // Requests through the queues, so they have been used (the loop starts with the first one).
    const admin = kafka.admin();
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
    let checks = 0;
    const original = RequestQueue.prototype.checkPendingRequests;
    RequestQueue.prototype.checkPendingRequests = function (this: unknown) {
      checks++;
      return original.call(this);
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      RequestQueue.prototype.checkPendingRequests = original;
    }
    // Unfixed, an idle connection runs ~1,000 checks a second; fixed, only completed requests
    // check (a metadata refresh, say): a handful at most.
    expect(checks).toBeLessThan(20);
  });
});
