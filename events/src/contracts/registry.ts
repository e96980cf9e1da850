import type { z } from 'zod';
import {
  ContractError,
  envelopeSchema,
  formatZodError,
  newEventId,
  type EventContract,
  type EventOf,
} from './envelope.ts';
import * as catalog from './catalog.ts';
import * as orders from './orders.ts';
import * as users from './users.ts';

/** Every event type the system knows, by type name. */
export const CONTRACTS = { ...orders, ...catalog, ...users } as const;
export type EventType = keyof typeof CONTRACTS;
export type ContractOf<T extends EventType> = (typeof CONTRACTS)[T];
/** Any validated event, discriminated by `type`. */
export type AnyEvent = { [T in EventType]: EventOf<ContractOf<T>> }[EventType];

export function contractOf(type: string): EventContract | undefined {
  return Object.hasOwn(CONTRACTS, type) ? CONTRACTS[type as EventType] : undefined;
}

/**
 * Builds and validates a new event (the produce edge): a fresh event id and the current time
 * unless given. Throws ContractError when the payload does not match.
 */
export function createEvent<C extends EventContract>(
  contract: C,
  aggregateId: string,
  payload: z.input<C['payload']>,
  options: { eventId?: string; occurredAt?: Date } = {},
): EventOf<C> {
  const parsed = contract.payload.safeParse(payload);
  if (!parsed.success)
    throw new ContractError(`${contract.type}: invalid payload: ${formatZodError(parsed.error)}`);
  return {
    eventId: options.eventId ?? newEventId(),
    type: contract.type,
    version: contract.version,
    aggregateId,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    payload: parsed.data as z.infer<C['payload']>,
  };
}

/**
 * Validates an event read from anywhere (the consume edge): envelope, known type, version and
 * payload. When `topic` is given, the type must belong to that topic. Throws ContractError
 * with a reason a human can act on.
 */
export function parseEvent(raw: unknown, topic?: string): AnyEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    throw new ContractError(`invalid envelope: ${formatZodError(envelope.error)}`);
  const contract = contractOf(envelope.data.type);
  if (!contract) throw new ContractError(`unknown event type ${envelope.data.type}`);
  if (envelope.data.version !== contract.version)
    throw new ContractError(
      `${contract.type}: unsupported version ${envelope.data.version} (expected ${contract.version})`,
    );
  if (topic !== undefined && topic !== contract.topic)
    throw new ContractError(`${contract.type} does not belong on topic ${topic}`);
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success)
    throw new ContractError(`${contract.type}: invalid payload: ${formatZodError(payload.error)}`);
  return { ...envelope.data, payload: payload.data } as AnyEvent;
}

/** Parses a Kafka message value (bytes of JSON) into a validated event. */
export function decodeEvent(value: Buffer | string | null, topic?: string): AnyEvent {
  if (value === null) throw new ContractError('empty message (no value)');
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    throw new ContractError(`not JSON: ${(error as Error).message}`);
  }
  return parseEvent(json, topic);
}

/** The Kafka message of an event: keyed by aggregate id, with its type and id as headers. */
export function encodeEvent(event: EventOf<EventContract>): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  return {
    key: event.aggregateId,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'event-id': event.eventId },
  };
}
