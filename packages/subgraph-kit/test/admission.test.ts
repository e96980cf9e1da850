import { describe, expect, it } from 'vitest';
import { BusyError, admission, isBusyError } from '../src/index.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('admission', () => {
  it('runs at most `concurrency` at once, queues up to `queue` in order, refuses the rest', async () => {
    const gate = admission('placeOrder', { concurrency: 2, queue: 2 });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const calls = gates.map((g, i) =>
      gate.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);

    const refused = gate.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(BusyError);
    await expect(refused).rejects.toThrow('placeOrder: too many at once');
    expect(isBusyError(await refused.catch((e) => e))).toBe(true);

    gates[1]!.resolve();
    expect(await calls[1]).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]); // first in line gets the slot
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3]);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('gives the slot back when the work fails', async () => {
    const gate = admission('x', { concurrency: 1, queue: 0 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.running).toBe(0);
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
