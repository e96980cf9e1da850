import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, nameList } from '../src/index.ts';

describe('nameList', () => {
  const spec = { WORKERS: nameList() };

  it('reads comma-separated names, trimming blanks', () => {
    expect(loadConfig(spec, { WORKERS: 'saga, relay-order,,cart-worker' })).toEqual({
      WORKERS: ['saga', 'relay-order', 'cart-worker'],
    });
  });

  it('refuses an empty list, a malformed name and a repeated one', () => {
    for (const [bad, problem] of [
      [',', /must list at least one name/],
      ['saga,Relay_Order', /has "Relay_Order"/],
      ['saga,-x', /has "-x"/],
      ['saga,saga', /names "saga" twice/],
    ] as const) {
      const attempt = () => loadConfig(spec, { WORKERS: bad });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(problem);
    }
    expect(() => loadConfig(spec, {})).toThrow(/WORKERS is required/);
  });
});
