import { describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  parseTimeIdCursor,
  timeIdCursor,
  toConnection,
} from '../src/index.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as GraphQLError).extensions?.code;
  }
  return undefined;
};

describe('pagination', () => {
  it('bounds page sizes', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    for (const bad of [0, -1, 101, 2.5]) expect(codeOf(() => pageSize(bad))).toBe('BAD_USER_INPUT');
  });

  it('round-trips cursors and refuses tampered ones', () => {
    const row = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: 'abc' };
    expect(parseTimeIdCursor(timeIdCursor(row))).toEqual(row);
    expect(decodeCursor(encodeCursor([1, 'x']), 2)).toEqual([1, 'x']);
    expect(codeOf(() => decodeCursor('!!!', 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(encodeCursor([1]), 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseTimeIdCursor(encodeCursor(['not a date', 'id'])))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('uses the extra row only to tell that a next page exists', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toConnection(rows, 2, 3, (r) => r.id);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: 'b' });
    expect(toConnection(rows.slice(0, 2), 2, 2, (r) => r.id).pageInfo.hasNextPage).toBe(false);
    expect(toConnection([], 2, 0, (r: { id: string }) => r.id).pageInfo).toEqual({
      hasNextPage: false,
      endCursor: null,
    });
  });
});
