import { trace } from '@opentelemetry/api';
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import {
  contextFromCarrier,
  currentTraceCarrier,
  inSampledSpan,
  traceHeadersOf,
  type TraceCarrier,
} from '@shop/tracing';

/**
 * Live order tracking across instances: every committed change of an order is announced on a
 * Redis pub/sub channel of its own, and every order instance that has subscribers for that order
 * re-reads it and pushes the new state. The message is only a wake-up (id, status, version):
 * subscribers always send the order as it is in the database, so a lost or reordered message can
 * delay an update but never show a wrong one.
 */

export const ORDER_CHANNEL_PREFIX = 'order-updated:';
export const orderChannel = (orderId: string) => `${ORDER_CHANNEL_PREFIX}${orderId}`;

/**
 * What a change notice carries: the order id, and when the announcer has them at hand the new
 * status and `version` (which grows with every workflow entry). Listeners re-read the order, so
 * an announcer never reads it only to fill these in.
 */
export interface OrderChangeNotice {
  id: string;
  status?: string;
  version?: number;
  /**
   * The W3C trace context of the change (the request's or the saga handler's), when tracing is
   * on: the read and the push it causes join that trace, down to the gateway's push.
   */
  traceparent?: string;
  tracestate?: string;
}

const tracer = trace.getTracer('@shop/order/live-tracking');

/** The trace of the notice that made a watcher read each state it sends (see noticeTraceOf). */
const stateTraces = new WeakMap<object, TraceCarrier>();

/**
 * The trace context a state sent to a subscriber belongs to: the span of the read that a traced
 * change woke (see OrderUpdates.read), if any.
 */
export const noticeTraceOf = (state: object): TraceCarrier | undefined => stateTraces.get(state);

/** The parts of an order a notice and the ordering of updates are made from. */
export interface VersionedOrder {
  id: string;
  status: string;
  updatedAt: Date;
  workflow: readonly unknown[];
}

/**
 * Orders states of one order: more workflow entries is newer; with as many, a later updatedAt is
 * newer. Returns > 0 when `a` is newer than `b`.
 */
export function compareOrderVersions(a: VersionedOrder, b: VersionedOrder): number {
  return a.workflow.length - b.workflow.length || a.updatedAt.getTime() - b.updatedAt.getTime();
}

/**
 * Announces a committed change of `order` to every order instance. Call it after the
 * transaction that changed the order committed (resolvers now, saga handlers next).
 */
export async function publishOrderUpdate(redis: Redis, order: VersionedOrder): Promise<void> {
  await announceOrderChange(redis, {
    id: order.id,
    status: order.status,
    version: order.workflow.length,
  });
}

/** Announces a committed change of an order known only by id (saga handlers after a commit). */
export async function announceOrderChange(redis: Redis, notice: OrderChangeNotice): Promise<void> {
  await redis.publish(
    orderChannel(notice.id),
    JSON.stringify({ ...notice, ...currentTraceCarrier() }),
  );
}

/** `generation`: how many notices of this order this instance has received, this one included. */
type Listener = (notice: OrderChangeNotice, generation: number) => void;

/**
 * One Redis subscriber connection per instance, shared by all live subscriptions of that
 * instance: a channel is subscribed while at least one local listener watches the order.
 */
export class OrderUpdates {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Notices received per watched order (the `generation` listeners get). */
  private readonly generations = new Map<string, number>();
  /** The read of each order in flight, and the generation it started at. */
  private readonly reads = new Map<string, { generation: number; order: Promise<unknown> }>();
  /** The trace context of the latest notice of each watched order that carried one. */
  private readonly noticeTraces = new Map<string, TraceCarrier>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(ORDER_CHANNEL_PREFIX)) return;
      const set = this.listeners.get(channel.slice(ORDER_CHANNEL_PREFIX.length));
      if (!set) return;
      let notice: OrderChangeNotice;
      try {
        notice = JSON.parse(message) as OrderChangeNotice;
      } catch {
        this.logger.warn({ channel }, 'ignored a malformed order change notice');
        return;
      }
      const orderId = channel.slice(ORDER_CHANNEL_PREFIX.length);
      const carrier = traceHeadersOf(notice);
      if (carrier.traceparent) this.noticeTraces.set(orderId, carrier);
      const generation = (this.generations.get(orderId) ?? 0) + 1;
      this.generations.set(orderId, generation);
      for (const listener of set) listener(notice, generation);
    });
  }

  /**
   * Reads an order for the watchers that notice `generation` woke, sharing one read between
   * them: a read already in flight is reused only if it started after that notice arrived (so
   * it sees the change), otherwise a new one starts. With several subscribers of one order on an
   * instance (a customer's phone and laptop), a change costs one read, not one per subscriber.
   */
  read<O>(orderId: string, generation: number, load: () => Promise<O>): Promise<O> {
    const inflight = this.reads.get(orderId);
    if (inflight && inflight.generation >= generation) return inflight.order as Promise<O>;
    const started = this.generations.get(orderId) ?? 0;
    const carrier = this.noticeTraces.get(orderId);
    const order = (carrier ? this.tracedRead(orderId, carrier, load) : load()).finally(() => {
      if (this.reads.get(orderId)?.order === order) this.reads.delete(orderId);
    });
    this.reads.set(orderId, { generation: started, order });
    return order;
  }

  /**
   * A read woken by a traced notice, as a span of the change's trace (a child, not a link:
   * Zipkin shows no links), and every state it yields marked with the read's span for the push.
   */
  private tracedRead<O>(orderId: string, carrier: TraceCarrier, load: () => Promise<O>) {
    return inSampledSpan(
      tracer,
      'orderUpdated read',
      { attributes: { 'order.id': orderId } },
      async () => {
        const order = await load();
        // The push of what it read goes on from the read, the read from the change.
        if (order && typeof order === 'object') stateTraces.set(order, currentTraceCarrier());
        return order;
      },
      contextFromCarrier(carrier),
    );
  }

  /**
   * Announces a committed change; never throws (a failed announcement is logged: the change is
   * committed, and subscribers see it with the next change or when they resubscribe).
   */
  async publish(order: VersionedOrder): Promise<void> {
    try {
      await publishOrderUpdate(this.publisher, order);
    } catch (error) {
      this.logger.error({ err: error, orderId: order.id }, 'order update not published');
    }
  }

  /** Calls `listener` for every change notice of the order; resolves once subscribed. */
  async listen(orderId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(orderId);
    if (!set) {
      set = new Set();
      this.listeners.set(orderId, set);
    }
    set.add(listener);
    if (set.size === 1) await this.subscriber.subscribe(orderChannel(orderId));
    return () => {
      const current = this.listeners.get(orderId);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(orderId);
      // The count starts again with the next watcher: no read of before may pass for a new one.
      this.generations.delete(orderId);
      this.reads.delete(orderId);
      this.noticeTraces.delete(orderId);
      this.subscriber.unsubscribe(orderChannel(orderId)).catch((error: unknown) => {
        this.logger.warn({ err: error, orderId }, 'unsubscribe failed');
      });
    };
  }

  close(): void {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}

/**
 * The states of one order for one subscriber: the current state first, then one state per
 * change, in order and never older than one already sent. It listens before reading the current
 * state, so no change between the two is missed. Notices only wake it up: a burst of changes
 * while a read runs costs one more read, and `statesSince` turns what that read shows into the
 * states in between (so nothing queues up beyond one order's history). `check` refuses (throws)
 * when the caller may not see the order. The listener is removed when the consumer stops
 * (return), also before the first event was pulled.
 */
export async function watchOrder<O extends VersionedOrder>(
  updates: OrderUpdates,
  orderId: string,
  load: () => Promise<O | null>,
  check: (order: O | null) => O,
  statesSince: (previous: O, current: O) => O[] = (_, current) => [current],
): Promise<AsyncIterableIterator<O>> {
  let dirty = false;
  let done = false;
  let wake: (() => void) | undefined;
  /** The latest notice that woke this watcher: its next read must start after it. */
  let wokenAt = 0;
  const stop = await updates.listen(orderId, (_, generation) => {
    dirty = true;
    wokenAt = generation;
    wake?.();
  });
  let last: O;
  try {
    last = check(await load());
  } catch (error) {
    stop();
    throw error;
  }
  const pending: O[] = [last];
  const finish = (): IteratorResult<O> => {
    if (!done) {
      done = true;
      stop();
      wake?.();
    }
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<O> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      const queued = pending.shift();
      if (queued) return { done: false, value: queued };
      while (!done) {
        if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (done) break;
        dirty = false;
        const order = await updates.read(orderId, wokenAt, load);
        if (!order) return finish();
        if (compareOrderVersions(order, last) > 0) {
          const states = statesSince(last, order);
          // The states in between were read for the same change: they are sent in its trace.
          const carrier = noticeTraceOf(order);
          if (carrier) for (const state of states) stateTraces.set(state, carrier);
          pending.push(...states);
          last = order;
          return { done: false, value: pending.shift()! };
        }
      }
      return { done: true, value: undefined };
    },
    async return() {
      return finish();
    },
    async throw(error?: unknown) {
      finish();
      throw error;
    },
  };
  return iterator;
}
