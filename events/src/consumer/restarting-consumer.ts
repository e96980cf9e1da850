import type { Consumer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import { backoffDelay, sleep } from '../shared/backoff.ts';

export interface RestartingConsumerOptions {
  /** For the logs: the consumer's name. */
  name: string;
  /** A new kafkajs consumer in the consumer's group (the caller's settings and event hooks). */
  create: () => Consumer;
  /** Connects, subscribes and runs a consumer made by `create`. */
  run: (consumer: Consumer) => Promise<void>;
  /** After the crashed consumer left and before its replacement starts (drop unwritten work). */
  beforeRestart?: () => Promise<void> | void;
  /** Counted here: crashes reported by kafkajs, and replacements that started. */
  stats: { crashes: number; restarts: number };
  /** Aborted when the owner stops: no restart then. */
  signal: AbortSignal;
  logger?: Logger;
}

/**
 * A kafkajs consumer that is replaced when it crashes for good. kafkajs restarts a consumer only
 * after errors it deems retriable ("group coordinator not found" after a broker restart is not
 * one); anything else would leave its partitions unread while the process looks healthy. The
 * replacement joins the same group and resumes from the committed offsets.
 */
export class RestartingConsumer {
  private current: Consumer;

  constructor(private readonly options: RestartingConsumerOptions) {
    this.current = this.create();
  }

  /** The consumer running now (offset commits go through it). */
  get consumer(): Consumer {
    return this.current;
  }

  start(): Promise<void> {
    return this.options.run(this.current);
  }

  disconnect(): Promise<void> {
    return this.current.disconnect().catch(() => undefined);
  }

  private create(): Consumer {
    const consumer = this.options.create();
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (consumer !== this.current) return;
      this.options.stats.crashes++;
      this.options.logger?.error(
        { err: payload.error, consumer: this.options.name, restart: payload.restart },
        'Kafka consumer crashed',
      );
      if (!payload.restart && !this.options.signal.aborted) void this.restart();
    });
    return consumer;
  }

  private async restart(): Promise<void> {
    const { signal, logger, name } = this.options;
    for (let attempt = 1; !signal.aborted; attempt++) {
      await this.disconnect();
      await this.options.beforeRestart?.();
      await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }), signal);
      if (signal.aborted) return;
      this.current = this.create();
      try {
        await this.options.run(this.current);
        this.options.stats.restarts++;
        logger?.warn({ consumer: name, attempt }, 'consumer restarted');
        return;
      } catch (error) {
        logger?.error(
          { err: error, consumer: name, attempt },
          'consumer restart failed, trying again',
        );
      }
    }
  }
}
