import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@shop/logging';
import { connectRedis, type Redis } from '@shop/redis';
import {
  OrderUpdates,
  announceOrderChange,
  watchOrder,
  type VersionedOrder,
} from '../src/events/order-updates.ts';

let publisher: Redis;
let updates: OrderUpdates;

beforeAll(async () => {
  publisher = await connectRedis(inject('stack').redis.url, 'REDIS_URL');
  const subscriber = publisher.duplicate();
  await subscriber.connect();
  updates = new OrderUpdates(publisher, subscriber, createLogger('test', 'silent'));
});
afterAll(() => {
  updates?.close();
  publisher?.disconnect();
});

/** An order whose state the test moves on, and a load that counts its reads. */
function order() {
  const id = randomUUID();
  const state: VersionedOrder = { id, status: 'PENDING', updatedAt: new Date(1), workflow: [1] };
  let reads = 0;
  let gate: Promise<void> = Promise.resolve();
  return {
    id,
    reads: () => reads,
    /** Holds the reads that start from now on until `open` is called. */
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    change(status: string) {
      state.status = status;
      state.updatedAt = new Date(state.updatedAt.getTime() + 1);
      state.workflow = [...state.workflow, status];
    },
    load: async () => {
      reads++;
      const snapshot = { ...state, workflow: [...state.workflow] };
      await gate;
      return snapshot;
    },
  };
}

const watch = (o: ReturnType<typeof order>) => watchOrder(updates, o.id, o.load, (found) => found!);

describe('watchers of one order on one instance', () => {
  it('share one read per change, and each sees every change', async () => {
    const o = order();
    const phone = await watch(o);
    const laptop = await watch(o);
    await phone.next();
    await laptop.next(); // the current state: one read each
    expect(o.reads()).toBe(2);
    o.change('STOCK_RESERVED');
    const phoneNext = phone.next();
    const laptopNext = laptop.next();
    await announceOrderChange(publisher, { id: o.id });
    expect((await phoneNext).value?.status).toBe('STOCK_RESERVED');
    expect((await laptopNext).value?.status).toBe('STOCK_RESERVED');
    expect(o.reads()).toBe(3); // one read for both
    await phone.return!();
    await laptop.return!();
  });

  it('reads again for a change that came after the read in flight started', async () => {
    const o = order();
    const a = await watch(o);
    const b = await watch(o);
    await a.next();
    await b.next();
    const notices: number[] = [];
    const unlisten = await updates.listen(o.id, (_, generation) => notices.push(generation));
    o.change('STOCK_RESERVED');
    const open = o.hold();
    const aNext = a.next();
    await announceOrderChange(publisher, { id: o.id });
    await expect.poll(() => o.reads()).toBe(3); // a's read, in flight
    o.change('COMPLETED');
    await announceOrderChange(publisher, { id: o.id });
    await expect.poll(() => notices.length).toBe(2);
    // b was woken by the later change: the read in flight began before it, so b reads anew.
    const bNext = b.next();
    await expect.poll(() => o.reads()).toBe(4);
    open();
    expect((await aNext).value?.status).toBe('STOCK_RESERVED');
    expect((await bNext).value?.status).toBe('COMPLETED');
    expect((await a.next()).value?.status).toBe('COMPLETED');
    unlisten();
    await a.return!();
    await b.return!();
  });
});
