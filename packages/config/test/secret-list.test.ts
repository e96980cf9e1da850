import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SecretMatcher, secretList } from '../src/index.ts';

describe('secretList', () => {
  const spec = { TOKENS: secretList({ min: 32 }) };
  const a = 'a'.repeat(32);
  const b = 'b'.repeat(40);

  it('reads comma-separated secrets, and none when unset or empty', () => {
    expect(loadConfig(spec, { TOKENS: `${a}, ${b}` })).toEqual({ TOKENS: [a, b] });
    expect(loadConfig(spec, {})).toEqual({ TOKENS: [] });
    expect(loadConfig(spec, { TOKENS: '' })).toEqual({ TOKENS: [] });
  });

  it('refuses a short secret without showing any of them', () => {
    const attempt = () => loadConfig(spec, { TOKENS: `${a},short-one` });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/number 2\) under 32 characters/);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/TOKENS/);
    expect(message).not.toContain('short-one');
    expect(message).not.toContain(a);
  });
});

describe('SecretMatcher', () => {
  const a = 'a'.repeat(32);
  const b = 'b'.repeat(40);

  it('matches any of its secrets exactly, and nothing when it has none', () => {
    const matcher = new SecretMatcher([a, b]);
    expect(matcher.matches(a)).toBe(true);
    expect(matcher.matches(b)).toBe(true);
    for (const wrong of [`${a}x`, a.slice(1), '', undefined, [a]])
      expect(matcher.matches(wrong)).toBe(false);
    expect(new SecretMatcher([]).matches(a)).toBe(false);
  });
});
