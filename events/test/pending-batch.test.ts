import { describe, expect, it } from 'vitest';
import { PendingBatch } from '../src/consumer/pending-batch.ts';

describe('PendingBatch', () => {
  it('is due at maxRows rows', () => {
    const batch = new PendingBatch<number>({ maxRows: 3, maxWaitMs: 1000 });
    batch.add('t', 0, '10', [1, 2], 0);
    expect(batch.due(0)).toBe(false);
    batch.add('t', 1, '4', [3], 0);
    expect(batch.due(0)).toBe(true);
  });

  it('is due maxWaitMs after its first message, even without rows', () => {
    const batch = new PendingBatch<number>({ maxRows: 100, maxWaitMs: 1000 });
    expect(batch.due(5000)).toBe(false);
    batch.add('t', 0, '7', [], 2000);
    batch.add('t', 0, '8', [], 2900);
    expect(batch.due(2999)).toBe(false);
    expect(batch.due(3000)).toBe(true);
  });

  it('commits the next offset of every partition it read, and starts over after take', () => {
    const batch = new PendingBatch<string>({ maxRows: 100, maxWaitMs: 1000 });
    batch.add('a', 0, '41', ['x'], 0);
    batch.add('a', 0, '9007199254740993', ['y'], 0);
    batch.add('b', 2, '0', [], 0);
    const taken = batch.take();
    expect(taken.rows).toEqual(['x', 'y']);
    expect(taken.offsets).toEqual([
      { topic: 'a', partition: 0, offset: '9007199254740994' },
      { topic: 'b', partition: 2, offset: '1' },
    ]);
    expect(batch.isEmpty).toBe(true);
    expect(batch.rowCount).toBe(0);
    expect(batch.due(10_000)).toBe(false);
  });
});
