import { describe, expect, it } from 'vitest';
import { ConfigError, fraction, loadConfig } from '../src/index.ts';

describe('fraction', () => {
  const spec = { PAYMENT_DECLINE_RATE: fraction(0) };

  it('reads a decimal from 0 to 1 and falls back to the default', () => {
    expect(loadConfig(spec, { PAYMENT_DECLINE_RATE: '0.25' })).toEqual({
      PAYMENT_DECLINE_RATE: 0.25,
    });
    expect(loadConfig(spec, { PAYMENT_DECLINE_RATE: '1' })).toEqual({ PAYMENT_DECLINE_RATE: 1 });
    expect(loadConfig(spec, { PAYMENT_DECLINE_RATE: '.5' })).toEqual({ PAYMENT_DECLINE_RATE: 0.5 });
    expect(loadConfig(spec, {})).toEqual({ PAYMENT_DECLINE_RATE: 0 });
  });

  it('refuses anything else with the one-line configuration error', () => {
    for (const bad of ['1.5', '-0.1', 'ten percent', '0x1', 'Infinity', '1e-1 ']) {
      const attempt = () => loadConfig(spec, { PAYMENT_DECLINE_RATE: bad });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/PAYMENT_DECLINE_RATE must be a number from 0 to 1/);
    }
  });
});
