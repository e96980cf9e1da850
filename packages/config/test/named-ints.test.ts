import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, namedInts } from '../src/index.ts';

describe('namedInts', () => {
  const spec = { SIZES: namedInts({ default: 'A.b=2', min: 1, max: 100 }) };

  it('parses name=number pairs and falls back to the default', () => {
    expect(loadConfig(spec, { SIZES: ' Query.categories=50 , Category.children=10 ' })).toEqual({
      SIZES: { 'Query.categories': 50, 'Category.children': 10 },
    });
    expect(loadConfig(spec, {})).toEqual({ SIZES: { 'A.b': 2 } });
  });

  it('names the bad entry', () => {
    expect(() => loadConfig(spec, { SIZES: 'Query.categories' })).toThrow(ConfigError);
    expect(() => loadConfig(spec, { SIZES: 'Query.categories' })).toThrow(
      /SIZES has "Query.categories", expected name=number/,
    );
    expect(() => loadConfig(spec, { SIZES: 'Query.sellers=0' })).toThrow(
      /SIZES Query.sellers must be >= 1/,
    );
  });
});
