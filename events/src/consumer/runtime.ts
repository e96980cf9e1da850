import type { Consumer, EachBatchPayload, Kafka, Producer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import type { AnyEvent } from '../contracts/registry.ts';
import { decodeEvent } from '../contracts/registry.ts';
import { TOPICS } from '../topics.ts';
import { backoffDelay, sleep } from '../shared/backoff.ts';
import { ChaosError, chaosHits, type ChaosOptions } from '../shared/chaos.ts';
import { deadLetterOf, sendDeadLetter } from './dead-letters.ts';
import { registerLagSubscription } from './lag.ts';
import { skipHistory } from './history.ts';
import { maxEventsPerTransactionOf } from './transaction-size.ts';
import { RestartingConsumer } from './restarting-consumer.ts';
import { inAttemptSpan, messageContext, traceDeadLetter } from './trace-consume.ts';
import {
  INBOX_PURGE_BATCH,
  claimInbox,
  claimInboxMany,
  NO_TRANSACTION,
  purgeInbox,
  type HandlerTx,
  type TransactionHook,
} from './transaction.ts';
import { idempotentProducer } from '../shared/producer.ts';

export interface HandlerContext<Tx extends HandlerTx> {
  /** The handler's transaction: write the effect (and any outbox rows) through it. */
  tx: Tx;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

/**
 * One handler of a consumer with its own database transaction and inbox name. A consumer with
 * several routes reads each message once and hands it to every route that handles its type, in
 * order, each in its own transaction (the order saga: the catalog's and the order's handlers on
 * one consumer group, so each event is fetched and read once rather than once per handler).
 */
export interface ConsumerRoute<Tx extends HandlerTx> {
  /** The inbox's consumer column for this handler. */
  name: string;
  /** Event types it acts on (default: every type). */
  handles?: readonly string[];
  transaction: TransactionHook<Tx>;
  handler: (event: AnyEvent, context: HandlerContext<Tx>) => Promise<void>;
}

type KafkaMessage = EachBatchPayload['batch']['messages'][number];

/** A message validated against its contract, with where it came from. */
interface ReadEvent {
  event: AnyEvent;
  message: KafkaMessage;
  source: { topic: string; partition: number; offset: string };
}

/** Whether a route records what it handled in an inbox (all but NO_TRANSACTION routes). */
const keepsInbox = (route: ConsumerRoute<HandlerTx>) =>
  route.transaction !== (NO_TRANSACTION as TransactionHook<HandlerTx>);

/** Keeps a route's transaction and handler types in step; routes of any database mix. */
export const consumerRoute = <Tx extends HandlerTx>(route: ConsumerRoute<Tx>) =>
  route as unknown as ConsumerRoute<HandlerTx>;

export interface ConsumerOptions<Tx extends HandlerTx> {
  /** Consumer name: the inbox's consumer column and the default group id. */
  name: string;
  kafka: Kafka;
  topics: string[];
  groupId?: string;
  fromBeginning?: boolean;
  /** See historySettings (default: the process environment's EVENTS_HISTORY_START). */
  historyStart?: number;
  transaction: TransactionHook<Tx>;
  handler: (event: AnyEvent, context: HandlerContext<Tx>) => Promise<void>;
  /**
   * The event types the handler acts on. Others on its topics are passed over without a
   * transaction or an inbox row (most of a topic's events are another consumer's business, and
   * a transaction each is most of a consumer's cost). Default: every type.
   */
  handles?: readonly string[];
  /**
   * Group session timeout (kafkajs default 30 s). A consumer that crashed while the broker was
   * down rejoins with a new member id, and the group waits this long for the old one before it
   * hands out partitions again: a shorter session is a shorter stall after a broker restart.
   */
  sessionTimeoutMs?: number;
  /**
   * Partitions handled at the same time (default 1). Events of one key stay in order (one
   * partition is still handled one message at a time); a handler retrying with backoff then
   * holds up its own partition only.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long this consumer's inbox rows are kept (default 7 days, 0 keeps them forever), and how
   * often old ones are deleted (default hourly): the dedup record only has to outlive redelivery.
   */
  inboxRetentionMs?: number;
  inboxPurgeIntervalMs?: number;
  /**
   * How often handled offsets are committed (default 1 s); 0 commits after every fetch. A
   * restart meets again what was handled since the last commit (the inbox absorbs it).
   */
  commitIntervalMs?: number;
  /**
   * Events of one partition handled in one transaction per route (default: the environment's
   * EVENTS_MAX_PER_TRANSACTION, else MAX_EVENTS_PER_TRANSACTION; 1 gives every event its own).
   * Whatever a fetch holds beyond one event shares the route's transaction, its inbox insert and
   * its commit: under load, the per-event cost of BEGIN, COMMIT and the WAL flush falls as
   * fetches grow. When the shared transaction fails (a handler's error, a deadlock), it rolls
   * back and its events are handled one by one, each with its own retries and dead letter, as
   * with 1.
   */
  maxEventsPerTransaction?: number;
  /** Attempts before the dead-letter hand-off (default 5). */
  maxAttempts?: number;
  backoff?: { initialMs: number; maxMs: number };
  deadLetterTopic?: string;
  /** Require each event type to belong to the topic it came from (default true). */
  checkTopic?: boolean;
  chaos?: Pick<ChaosOptions, 'handlerFailureRate' | 'random'>;
  logger?: Logger;
}

/** A consumer whose messages go to several routes (see ConsumerRoute). */
export type RoutedConsumerOptions = Omit<
  ConsumerOptions<HandlerTx>,
  'transaction' | 'handler' | 'handles'
> & {
  /** Consumer name: the default group id. */
  name: string;
  routes: ConsumerRoute<HandlerTx>[];
};

export interface ConsumerStats {
  handled: number;
  duplicates: number;
  /** Valid events of a type the handler does not act on (see `handles`). */
  skipped: number;
  /** Inbox rows deleted by the retention. */
  inboxPurged: number;
  retries: number;
  /** Route transactions committed (each of one event or several: maxEventsPerTransaction). */
  transactions: number;
  /** Shared transactions that failed, their events then handled one by one. */
  batchFallbacks: number;
  deadLettered: number;
  /** kafkajs consumer crashes, and the ones this runtime restarted itself. */
  crashes: number;
  restarts: number;
}

/**
 * A consumer-group runtime: validates every message against its contract, runs the handler in
 * the handler database's transaction together with the inbox row (so its effect happens once),
 * owns retry counting with exponential backoff, and hands a message that keeps failing (or
 * never matched its contract) to the dead-letter topic so the partition moves on. A message's
 * offset is resolved (and later committed) only after its window was handled, that is after
 * the transactions committed or the dead letters were written.
 */
export class EventConsumer<Tx extends HandlerTx> {
  private markJoined: () => void = () => {};
  /** Resolves when the consumer first joined its group (fetching starts right after). */
  readonly joined: Promise<void> = new Promise((resolve) => (this.markJoined = resolve));
  readonly stats: ConsumerStats = {
    handled: 0,
    duplicates: 0,
    skipped: 0,
    inboxPurged: 0,
    retries: 0,
    transactions: 0,
    batchFallbacks: 0,
    deadLettered: 0,
    crashes: 0,
    restarts: 0,
  };
  private readonly producer: Producer;
  private readonly abort = new AbortController();
  private readonly consumer: RestartingConsumer;
  private chaos: ConsumerOptions<Tx>['chaos'];
  private readonly routes: { route: ConsumerRoute<HandlerTx>; handles?: ReadonlySet<string> }[];
  /** Every type some route acts on; undefined when a route takes every type. */
  private readonly handles: ReadonlySet<string> | undefined;
  private readonly options: RoutedConsumerOptions;

  constructor(options: ConsumerOptions<Tx> | RoutedConsumerOptions) {
    const routes =
      'routes' in options
        ? options.routes
        : [
            consumerRoute({
              name: options.name,
              handles: options.handles,
              transaction: options.transaction,
              handler: options.handler,
            }),
          ];
    this.options = { ...options, routes };
    this.consumer = new RestartingConsumer({
      name: options.name,
      create: () => this.newConsumer(),
      run: (consumer) => this.run(consumer),
      stats: this.stats,
      signal: this.abort.signal,
      logger: options.logger,
    });
    this.producer = idempotentProducer(options.kafka);
    this.chaos = options.chaos;
    this.routes = routes.map((route) => ({
      route,
      handles: route.handles && new Set(route.handles),
    }));
    this.handles = routes.every((r) => r.handles)
      ? new Set(routes.flatMap((r) => r.handles!))
      : undefined;
    // The worker that exports these stats also exports this group's lag (serveWorker).
    registerLagSubscription(this.stats, {
      kafka: options.kafka,
      groupId: options.groupId ?? options.name,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
    });
  }

  setChaos(chaos: ConsumerOptions<Tx>['chaos']): void {
    this.chaos = chaos;
  }

  private newConsumer(): Consumer {
    const session = this.options.sessionTimeoutMs;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId ?? this.options.name,
      ...(session
        ? { sessionTimeout: session, heartbeatInterval: Math.max(300, Math.floor(session / 10)) }
        : {}),
    });
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    return consumer;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    const { kafka, groupId, name, topics, historyStart, logger } = this.options;
    await skipHistory(kafka, groupId ?? name, topics, historyStart, logger);
    await this.consumer.start();
    this.scheduleInboxPurge();
  }

  private purgeTimer: NodeJS.Timeout | undefined;

  private scheduleInboxPurge(): void {
    const retentionMs = this.options.inboxRetentionMs ?? 7 * 24 * 3600_000;
    if (retentionMs <= 0) return;
    const purge = async () => {
      for (const { route } of this.routes)
        try {
          if (!keepsInbox(route)) continue;
          for (;;) {
            const deleted = await route.transaction((tx) =>
              purgeInbox(tx, route.name, retentionMs),
            );
            this.stats.inboxPurged += deleted;
            if (deleted < INBOX_PURGE_BATCH || this.abort.signal.aborted) break;
          }
        } catch (error) {
          this.options.logger?.warn({ err: error, consumer: route.name }, 'inbox purge failed');
        }
    };
    const interval = this.options.inboxPurgeIntervalMs ?? 3600_000;
    this.purgeTimer = setInterval(() => void purge(), interval);
    this.purgeTimer.unref();
    void purge();
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    for (const topic of this.options.topics)
      await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    const perTransaction = Math.max(
      1,
      this.options.maxEventsPerTransaction ?? maxEventsPerTransactionOf(),
    );
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      // Offsets are committed at most this often instead of after every fetch (at low rates a
      // fetch is one message, and its commit a broker round trip of its own). A crash replays
      // what was handled since the last commit: the inbox makes that harmless.
      autoCommitInterval: (this.options.commitIntervalMs ?? 1000) || null,
      // Resolved window by window below: a stop or a rebalance in the middle of a fetch leaves
      // the rest of it to whoever reads the partition next.
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const { topic, partition, messages } = batch;
        for (let from = 0; from < messages.length; from += perTransaction) {
          if (!isRunning() || isStale()) return;
          const window = messages.slice(from, from + perTransaction);
          await this.handleWindow(topic, partition, window, heartbeat);
          resolveOffset(window[window.length - 1]!.offset);
          await heartbeat();
        }
      },
    });
  }

  /**
   * Consecutive messages of one partition: each is validated (a bad one goes to the dead-letter
   * topic), then each route handles the ones it acts on, in partition order, in one transaction
   * (or one by one when that fails). A route sees its events in order; routes are independent
   * parties (their own inbox, mostly their own database), so route A may handle the window's
   * second event before route B its first.
   */
  private async handleWindow(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const read: ReadEvent[] = [];
    for (const message of messages) {
      const source = { topic, partition, offset: message.offset };
      // The relay names each message's type in a header: another consumer's event is passed
      // over before it is parsed and validated (most of a topic's events are someone else's,
      // and validation is most of what reading one costs). Its own consumer validates it.
      const announced = message.headers?.['event-type']?.toString();
      if (this.handles && announced && !this.handles.has(announced)) {
        this.stats.skipped++;
        continue;
      }
      let event: AnyEvent;
      try {
        event = decodeEvent(message.value, (this.options.checkTopic ?? true) ? topic : undefined);
      } catch (error) {
        await this.deadLetter(message, source, (error as Error).message, 0);
        continue;
      }
      if (this.handles && !this.handles.has(event.type)) {
        this.stats.skipped++;
        continue;
      }
      read.push({ event, message, source });
    }
    for (const { route, handles } of this.routes) {
      const mine = handles ? read.filter((r) => handles.has(r.event.type)) : read;
      if (
        mine.length > 1 &&
        keepsInbox(route) &&
        (await this.handleTogether(route, mine, heartbeat))
      )
        continue;
      for (const { event, message, source } of mine) {
        await this.handleWithRetries(route, event, message, source, heartbeat);
        // As kafkajs does between messages (it sends one only when the interval is due): a
        // window of slow handlers must not outlast the group session.
        await heartbeat();
      }
    }
  }

  /**
   * One route's events in one transaction: one inbox insert for all, each handler in its
   * message's trace. False when the transaction failed and rolled back (the caller then handles
   * the events one by one).
   */
  private async handleTogether(
    route: ConsumerRoute<HandlerTx>,
    events: readonly ReadEvent[],
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const groupId = this.options.groupId ?? this.options.name;
    let outcomes: ('handled' | 'duplicate')[];
    try {
      outcomes = await route.transaction(async (tx) => {
        const ids = events.map((r) => r.event.eventId);
        const fresh = await claimInboxMany(tx, route.name, ids);
        const done: ('handled' | 'duplicate')[] = [];
        for (const { event, message, source } of events) {
          // delete: an id met twice in one window is handled the first time only.
          if (!fresh.delete(event.eventId.toLowerCase())) {
            done.push('duplicate');
            continue;
          }
          const info = {
            consumer: route.name,
            groupId,
            eventType: event.type,
            eventId: event.eventId,
          };
          await inAttemptSpan(
            messageContext(message.headers),
            { ...info, ...source, attempt: 1 },
            async () => {
              await this.applyHandler(route, event, tx, { ...source, attempt: 1 });
              return 'handled';
            },
          );
          done.push('handled');
          await heartbeat();
        }
        return done;
      });
    } catch (error) {
      if (this.abort.signal.aborted) throw error; // stopping: leave the offsets unresolved
      this.stats.batchFallbacks++;
      this.options.logger?.debug(
        { err: error, consumer: route.name, events: events.length },
        'shared transaction failed, handling its events one by one',
      );
      return false;
    }
    this.stats.transactions++;
    for (const outcome of outcomes) this.stats[outcome === 'handled' ? 'handled' : 'duplicates']++;
    return true;
  }

  /**
   * Runs one route's handler until it succeeds, or hands the message to the dead-letter topic
   * after the last attempt (the next routes still run: a replay meets the ones that succeeded
   * as duplicates).
   */
  private async handleWithRetries(
    route: ConsumerRoute<HandlerTx>,
    event: AnyEvent,
    message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
    source: { topic: string; partition: number; offset: string },
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const parent = messageContext(message.headers);
    const groupId = this.options.groupId ?? this.options.name;
    for (let attempt = 1; ; attempt++) {
      try {
        await inAttemptSpan(
          parent,
          {
            consumer: route.name,
            groupId,
            eventType: event.type,
            eventId: event.eventId,
            ...source,
            attempt,
          },
          () => this.handleOnce(route, event, { ...source, attempt }),
        );
        return;
      } catch (error) {
        if (this.abort.signal.aborted) throw error; // stopping: leave the offset uncommitted
        const why = `${event.type} ${event.eventId}: ${(error as Error).message ?? String(error)}`;
        if (attempt >= maxAttempts) {
          await this.deadLetter(
            message,
            source,
            this.routes.length > 1 ? `${route.name}: ${why}` : why,
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
          {
            err: error,
            consumer: route.name,
            eventId: event.eventId,
            type: event.type,
            attempt,
            retryInMs: delay,
          },
          'handler failed, retrying',
        );
        await sleep(delay, this.abort.signal);
        await heartbeat();
      }
    }
  }

  /** The route's handler on one event, inside the caller's transaction. */
  private async applyHandler(
    route: ConsumerRoute<HandlerTx>,
    event: AnyEvent,
    tx: HandlerTx,
    source: { topic: string; partition: number; offset: string; attempt: number },
  ): Promise<void> {
    await route.handler(event, { tx, ...source });
    // Chaos after the effect: the transaction rolls back, the inbox row with it.
    if (chaosHits(this.chaos?.handlerFailureRate, this.chaos?.random))
      throw new ChaosError('chaos: handler failed');
  }

  private async handleOnce(
    route: ConsumerRoute<HandlerTx>,
    event: AnyEvent,
    source: { topic: string; partition: number; offset: string; attempt: number },
  ): Promise<'handled' | 'duplicate'> {
    const withInbox = keepsInbox(route);
    const outcome = await route.transaction(async (tx) => {
      if (withInbox && !(await claimInbox(tx, route.name, event.eventId)))
        return 'duplicate' as const;
      await this.applyHandler(route, event, tx, source);
      return 'handled' as const;
    });
    this.stats.transactions++;
    if (outcome === 'duplicate') this.stats.duplicates++;
    else this.stats.handled++;
    return outcome;
  }

  private async deadLetter(
    message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
    source: { topic: string; partition: number; offset: string },
    reason: string,
    attempts: number,
  ): Promise<void> {
    const deadLetterTopic = this.options.deadLetterTopic ?? TOPICS.deadLetters.name;
    // The letter keeps the message's headers, trace context included: a replay continues it.
    await sendDeadLetter(
      this.producer,
      deadLetterTopic,
      deadLetterOf(message, source, { reason, consumer: this.options.name, attempts }),
    );
    traceDeadLetter(messageContext(message.headers), {
      ...source,
      consumer: this.options.name,
      groupId: this.options.groupId ?? this.options.name,
      eventType: message.headers?.['event-type']?.toString(),
      eventId: message.headers?.['event-id']?.toString(),
      reason,
      attempts,
      deadLetterTopic,
    });
    this.stats.deadLettered++;
    this.options.logger?.error(
      { ...source, reason, attempts },
      'message sent to the dead-letter topic',
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.purgeTimer);
    await this.consumer.disconnect();
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** What a worker passes the same way to every consumer it runs. */
export type WorkerConsumerSettings = Pick<
  ConsumerOptions<HandlerTx>,
  | 'kafka'
  | 'maxAttempts'
  | 'backoff'
  | 'deadLetterTopic'
  | 'chaos'
  | 'logger'
  | 'sessionTimeoutMs'
  | 'partitionsConsumedConcurrently'
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
    sessionTimeoutMs: settings.sessionTimeoutMs,
    partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
  };
}
