import type { Consumer, Kafka, Producer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import type { AnyEvent } from '../contracts/registry.ts';
import { decodeEvent } from '../contracts/registry.ts';
import { TOPICS } from '../topics.ts';
import { backoffDelay, sleep } from '../shared/backoff.ts';
import { ChaosError, chaosHits, type ChaosOptions } from '../shared/chaos.ts';
import { sendDeadLetter } from './dead-letters.ts';
import { claimInbox, type HandlerTx, type TransactionHook } from './transaction.ts';

export interface HandlerContext<Tx extends HandlerTx> {
  /** The handler's transaction: write the effect (and any outbox rows) through it. */
  tx: Tx;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

export interface ConsumerOptions<Tx extends HandlerTx> {
  /** Consumer name: the inbox's consumer column and the default group id. */
  name: string;
  kafka: Kafka;
  topics: string[];
  groupId?: string;
  fromBeginning?: boolean;
  transaction: TransactionHook<Tx>;
  handler: (event: AnyEvent, context: HandlerContext<Tx>) => Promise<void>;
  /** Attempts before the dead-letter hand-off (default 5). */
  maxAttempts?: number;
  backoff?: { initialMs: number; maxMs: number };
  deadLetterTopic?: string;
  /** Require each event type to belong to the topic it came from (default true). */
  checkTopic?: boolean;
  chaos?: Pick<ChaosOptions, 'handlerFailureRate' | 'random'>;
  logger?: Logger;
}

export interface ConsumerStats {
  handled: number;
  duplicates: number;
  retries: number;
  deadLettered: number;
}

/**
 * A consumer-group runtime: validates every message against its contract, runs the handler in
 * the handler database's transaction together with the inbox row (so its effect happens once),
 * owns retry counting with exponential backoff, and hands a message that keeps failing (or
 * never matched its contract) to the dead-letter topic so the partition moves on. kafkajs
 * commits a message's offset only after eachMessage returned, that is after the transaction
 * committed or the dead letter was written.
 */
export class EventConsumer<Tx extends HandlerTx> {
  readonly stats: ConsumerStats = { handled: 0, duplicates: 0, retries: 0, deadLettered: 0 };
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly abort = new AbortController();
  private chaos: ConsumerOptions<Tx>['chaos'];

  constructor(private readonly options: ConsumerOptions<Tx>) {
    this.consumer = options.kafka.consumer({ groupId: options.groupId ?? options.name });
    this.producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.chaos = options.chaos;
  }

  setChaos(chaos: ConsumerOptions<Tx>['chaos']): void {
    this.chaos = chaos;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    for (const topic of this.options.topics)
      await this.consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const source = { topic, partition, offset: message.offset };
        let event: AnyEvent;
        try {
          event = decodeEvent(message.value, (this.options.checkTopic ?? true) ? topic : undefined);
        } catch (error) {
          await this.deadLetter(message, source, (error as Error).message, 0);
          return;
        }
        const maxAttempts = this.options.maxAttempts ?? 5;
        for (let attempt = 1; ; attempt++) {
          try {
            await this.handleOnce(event, { ...source, attempt });
            return;
          } catch (error) {
            if (this.abort.signal.aborted) throw error; // stopping: leave the offset uncommitted
            if (attempt >= maxAttempts) {
              await this.deadLetter(
                message,
                source,
                `${event.type} ${event.eventId}: ${(error as Error).message ?? String(error)}`,
                attempt,
              );
              return;
            }
            this.stats.retries++;
            const delay = backoffDelay(
              attempt,
              this.options.backoff ?? { initialMs: 100, maxMs: 5000 },
            );
            this.options.logger?.warn(
              { err: error, eventId: event.eventId, type: event.type, attempt, retryInMs: delay },
              'handler failed, retrying',
            );
            await sleep(delay, this.abort.signal);
            await heartbeat();
          }
        }
      },
    });
  }

  private async handleOnce(
    event: AnyEvent,
    source: { topic: string; partition: number; offset: string; attempt: number },
  ): Promise<void> {
    const outcome = await this.options.transaction(async (tx) => {
      if (!(await claimInbox(tx, this.options.name, event.eventId))) return 'duplicate' as const;
      await this.options.handler(event, { tx, ...source });
      // Chaos after the effect: the transaction rolls back, the inbox row with it.
      if (chaosHits(this.chaos?.handlerFailureRate, this.chaos?.random))
        throw new ChaosError('chaos: handler failed');
      return 'handled' as const;
    });
    if (outcome === 'duplicate') this.stats.duplicates++;
    else this.stats.handled++;
  }

  private async deadLetter(
    message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
    source: { topic: string; partition: number; offset: string },
    reason: string,
    attempts: number,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers ?? {}))
      if (v !== undefined && !k.startsWith('dlq-')) headers[k] = String(v);
    await sendDeadLetter(this.producer, this.options.deadLetterTopic ?? TOPICS.deadLetters.name, {
      key: message.key?.toString() ?? null,
      value: message.value,
      reason,
      consumer: this.options.name,
      sourceTopic: source.topic,
      sourcePartition: source.partition,
      sourceOffset: source.offset,
      attempts,
      failedAt: new Date().toISOString(),
      headers,
    });
    this.stats.deadLettered++;
    this.options.logger?.error(
      { ...source, reason, attempts },
      'message sent to the dead-letter topic',
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** What a worker passes the same way to every consumer it runs. */
export type WorkerConsumerSettings = Pick<
  ConsumerOptions<HandlerTx>,
  'kafka' | 'maxAttempts' | 'backoff' | 'deadLetterTopic' | 'chaos' | 'logger'
>;

/**
 * The options shared by all consumers of one worker. Topics given explicitly (tests' private
 * topics) are not the contracts' own, so the per-message topic check is off for them.
 */
export function sharedConsumerOptions(settings: WorkerConsumerSettings & { topics?: unknown }) {
  return {
    kafka: settings.kafka,
    checkTopic: settings.topics === undefined,
    maxAttempts: settings.maxAttempts,
    backoff: settings.backoff,
    deadLetterTopic: settings.deadLetterTopic,
    chaos: settings.chaos,
    logger: settings.logger,
  };
}
