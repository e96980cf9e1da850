import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, normalizeQuery } from '../src/domain/search-query.ts';

describe('normalizeQuery', () => {
  it('trims and collapses whitespace', () => {
    expect(normalizeQuery('  spinning \n  reel ')).toEqual({ ok: true, query: 'spinning reel' });
  });
  it('refuses empty and overlong queries', () => {
    expect(normalizeQuery('   ')).toEqual({ ok: false, problem: 'empty' });
    expect(normalizeQuery('x'.repeat(MAX_QUERY_LENGTH + 1))).toEqual({
      ok: false,
      problem: 'too-long',
    });
  });
});
