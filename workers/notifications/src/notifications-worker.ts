/**
 * The notifications worker: one consumer keeps the read models (customers from the user
 * service's events, order owners, product names) and writes one `emails` row per event that
 * sends an email, in the transaction of its inbox row; the sender loop (sender.ts) sends them.
 */
import {
  EventConsumer,
  ProductCreated,
  ProductUpdated,
  TOPICS,
  UserRegistered,
  UserUpdated,
  pgTransaction,
  sharedConsumerOptions,
  type AnyEvent,
  type TopicKey,
  type WorkerConsumerSettings,
} from '@shop/events';
import type { Transporter } from 'nodemailer';
import type pg from 'pg';
import { EMAILS, emailOfEvent } from './emails.ts';
import { EmailSender, type SenderOptions } from './sender.ts';
import { insertEmail, recordOrderOwner, upsertCustomer, upsertProductName } from './store.ts';

/** The topics it reads, by contract key (tests give private names). */
export type NotificationTopics = Partial<Record<TopicKey, string>>;

export interface NotificationsWorkerOptions extends WorkerConsumerSettings {
  pool: pg.Pool;
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
  shop: { name: string; url: string };
  sender?: Omit<SenderOptions, 'pool' | 'transport' | 'from' | 'shop' | 'logger'>;
  topics?: NotificationTopics;
  /** The consumer's name and group id. */
  name?: string;
}

export interface NotificationsWorker {
  consumer: EventConsumer<pg.PoolClient>;
  sender: EmailSender;
  stop(): Promise<void>;
}

const READ_MODEL_EVENTS = [UserRegistered, UserUpdated, ProductCreated, ProductUpdated];

/** The event types it acts on, and their topics. */
export function consumedEvents(topics: NotificationTopics = {}) {
  const contracts = [...READ_MODEL_EVENTS, ...EMAILS.map((e) => e.event)];
  return {
    handles: contracts.map((c) => c.type),
    topics: [...new Set(contracts.map((c) => topics[c.topicKey] ?? TOPICS[c.topicKey].name))],
  };
}

/** What one event changes in the notifications database (inside the inbox's transaction). */
export async function handleNotificationEvent(tx: pg.PoolClient, event: AnyEvent): Promise<void> {
  switch (event.type) {
    case 'UserRegistered':
    case 'UserUpdated':
      await upsertCustomer(tx, { ...event.payload, changedAt: event.occurredAt });
      break;
    case 'ProductCreated':
    case 'ProductUpdated':
      await upsertProductName(tx, { ...event.payload, changedAt: event.occurredAt });
      break;
  }
  const payload = event.payload as { orderId?: string; userId?: string };
  const spec = emailOfEvent(event.type);
  // An email row records its order's owner itself (one statement).
  if (!spec && payload.orderId && payload.userId)
    await recordOrderOwner(tx, payload.orderId, payload.userId);
  if (spec)
    await insertEmail(tx, {
      eventId: event.eventId,
      kind: spec.kind,
      orderId: payload.orderId ?? null,
      userId: payload.userId ?? null,
      data: event.payload,
      occurredAt: event.occurredAt,
    });
}

export async function startNotificationsWorker(
  options: NotificationsWorkerOptions,
): Promise<NotificationsWorker> {
  const name = options.name ?? 'notifications';
  const sender = new EmailSender({
    ...options.sender,
    pool: options.pool,
    transport: options.transport,
    from: options.from,
    shop: options.shop,
    logger: options.logger,
  });
  const transaction = pgTransaction(options.pool);
  const { handles, topics } = consumedEvents(options.topics);
  const consumer = new EventConsumer<pg.PoolClient>({
    ...sharedConsumerOptions(options),
    name,
    topics,
    handles,
    // The sender is woken once the email row is committed, rather than at its next poll.
    transaction: async (work) => {
      const result = await transaction(work);
      sender.wake();
      return result;
    },
    handler: (event, { tx }) => handleNotificationEvent(tx, event),
  });
  sender.start();
  await consumer.start();
  return {
    consumer,
    sender,
    stop: async () => {
      await consumer.stop();
      await sender.stop();
    },
  };
}
