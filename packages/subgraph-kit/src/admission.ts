import { StacklessError } from './stack-traces.ts';

/**
 * A call refused because its bounded queue was full: the client should retry (RATE_LIMITED).
 * The overload plan working, not a fault: no stack (stack-traces.ts).
 */
export class BusyError extends StacklessError {
  readonly code = 'SERVICE_BUSY';
  constructor(what: string) {
    super(`${what}: too many at once`);
    this.name = 'BusyError';
  }
}

export interface Admission {
  /** Runs `work` when a slot is free; throws BusyError at once when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * Admission control for an expensive operation: at most `concurrency` run at once and at most
 * `queue` wait for a slot (first come, first served). A call beyond that is refused before it
 * does any work. Without it an overloaded service accepts everything, every request waits out
 * the database's transaction timeout after it has already paid for its reads, and throughput
 * falls as the offered load rises; with it the refused answer fast and the admitted finish.
 */
export function admission(what: string, limits: { concurrency: number; queue: number }): Admission {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < limits.concurrency) running++;
      else if (waiting.length < limits.queue) await new Promise<void>((r) => waiting.push(r));
      else throw new BusyError(what);
      try {
        return await work();
      } finally {
        // The slot passes straight to the next in line, or is given back.
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
