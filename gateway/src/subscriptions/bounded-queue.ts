import type { ExecutionResult } from 'graphql';
import type { Watcher } from './shared-subscriptions.ts';

/**
 * A client subscription's queue: bounded, and since every event is the order's whole state, a
 * client that falls behind loses the oldest results and gets the latest (it skips ahead).
 */
export class BoundedQueue implements Watcher, AsyncIterableIterator<ExecutionResult> {
  private readonly items: ExecutionResult[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private ended = false;
  skipped = 0;
  detach: () => void = () => {};

  constructor(private readonly limit: number) {}

  push(result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: result });
      return;
    }
    this.items.push(result);
    if (this.items.length > this.limit) {
      this.items.shift();
      this.skipped++;
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.items.length === 0 && this.waiting) {
      this.waiting({ done: true, value: undefined });
      this.waiting = undefined;
    }
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const item = this.items.shift();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.detach();
    this.ended = true;
    this.items.length = 0;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = undefined;
    return Promise.resolve({ done: true, value: undefined });
  }
}
