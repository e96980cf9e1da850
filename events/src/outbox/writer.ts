import type pg from 'pg';
import { currentTraceCarrier } from '@shop/tracing';
import type { EventContract, EventOf } from '../contracts/envelope.ts';
import { contractOf } from '../contracts/registry.ts';
import { ContractError } from '../contracts/envelope.ts';
import { preparedStatement } from '../shared/prepared.ts';

/** The NOTIFY channel the relay listens on: a wake-up hint only, polling stays the fallback. */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * A transaction to write into: a Prisma interactive-transaction client (any service's) or a
 * plain `pg` client inside BEGIN/COMMIT.
 */
export type OutboxTx =
  | { $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number> }
  | Pick<pg.ClientBase, 'query'>;

/** The outbox row's columns, in the order of `outboxRowValues`. */
export const OUTBOX_COLUMNS =
  'id, aggregate_type, aggregate_id, topic, type, version, payload, created_at, traceparent, tracestate';
/** Casts for `outboxRowValues`, to write `VALUES (...)` with parameters from `$first`. */
export const outboxValuesSql = (first: number) =>
  `$${first}::uuid, $${first + 1}, $${first + 2}, $${first + 3}, $${first + 4}, $${first + 5}, $${first + 6}::jsonb, $${first + 7}::timestamptz, $${first + 8}, $${first + 9}`;

const INSERT = `INSERT INTO outbox_events (${OUTBOX_COLUMNS}) VALUES (${outboxValuesSql(1)})`;
/** The row and the relay's wake-up in one round trip (NOTIFY is sent at commit either way). */
const INSERT_AND_NOTIFY = `WITH written AS (${INSERT}) SELECT pg_notify('${OUTBOX_CHANNEL}', '')`;
const insertRow = preparedStatement('outbox-insert', INSERT);
const insertRowAndNotify = preparedStatement('outbox-insert-notify', INSERT_AND_NOTIFY);

/**
 * An event's outbox row as statement parameters, for a statement that writes it together with
 * the change it describes (a hot path saving its round trips); writeOutboxEvent otherwise.
 * `topic` overrides the contract's topic (tests use private topics). The row keeps the W3C
 * trace context active now (the request's, or the consumer handler's that wrote it): the relay
 * continues that trace when it publishes the event, so an outbox does not cut a trace in two.
 * With tracing off there is none (null).
 */
export function outboxRowValues(
  event: EventOf<EventContract>,
  options: { topic?: string } = {},
): unknown[] {
  const contract = contractOf(event.type);
  if (!contract) throw new ContractError(`unknown event type ${event.type}`);
  const trace = currentTraceCarrier();
  return [
    event.eventId,
    contract.aggregateType,
    event.aggregateId,
    options.topic ?? contract.topic,
    event.type,
    event.version,
    JSON.stringify(event.payload),
    event.occurredAt,
    trace.traceparent ?? null,
    trace.tracestate ?? null,
  ];
}

/**
 * Writes an event (already validated by createEvent) into the outbox of the transaction's
 * database, so it is published if and only if the transaction commits. `notify` (default on)
 * sends the relay a wake-up at commit; PostgreSQL folds repeated ones within a transaction.
 * `topic` overrides the contract's topic (tests use private topics).
 */
export async function writeOutboxEvent(
  tx: OutboxTx,
  event: EventOf<EventContract>,
  options: { notify?: boolean; topic?: string } = {},
): Promise<void> {
  const notify = options.notify ?? true;
  const values = outboxRowValues(event, options);
  if ('$executeRawUnsafe' in tx)
    await tx.$executeRawUnsafe(notify ? INSERT_AND_NOTIFY : INSERT, ...values);
  else await tx.query((notify ? insertRowAndNotify : insertRow)(values));
}
