import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  bool,
  hostPortList,
  int,
  loadConfig,
  oneOf,
  optional,
  port,
  secret,
  str,
  url,
} from '../src/index.ts';

const spec = {
  PORT: port(4001),
  DATABASE_URL: url(['postgres', 'postgresql']),
  INTERNAL_AUTH_SECRET: secret({ min: 32 }),
  FLAG: bool(false),
  LEVEL: oneOf(['info', 'debug'], 'info'),
  BROKERS: hostPortList('127.0.0.1:9092'),
  BATCH: int({ default: 100, min: 1, max: 1000 }),
  NAME: str({ default: 'x', max: 5 }),
  EXTRA: optional(url(['http'])),
};
const good = {
  DATABASE_URL: 'postgresql://u:p@db:5432/shop',
  INTERNAL_AUTH_SECRET: 's'.repeat(32),
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(spec, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and parses types', () => {
    const config = loadConfig(spec, { ...good, FLAG: 'yes', BROKERS: 'a:1, b:2' });
    expect(config).toMatchObject({
      PORT: 4001,
      FLAG: true,
      LEVEL: 'info',
      BROKERS: ['a:1', 'b:2'],
      BATCH: 100,
      EXTRA: undefined,
    });
  });

  it('names every bad setting in one message', () => {
    const message = problems({
      PORT: '70000',
      DATABASE_URL: 'mysql://x/y',
      FLAG: 'maybe',
      BATCH: '1.5',
    });
    expect(message).toContain('PORT must be <= 65535');
    expect(message).toContain('DATABASE_URL must be a postgres/postgresql:// URL');
    expect(message).toContain('INTERNAL_AUTH_SECRET is required but not set');
    expect(message).toContain('FLAG must be true or false');
    expect(message).toContain('BATCH must be a whole number');
  });

  it('never echoes a secret or URL credentials', () => {
    const message = problems({
      ...good,
      INTERNAL_AUTH_SECRET: 'hunter2',
      DATABASE_URL: 'http://user:pw@host/x',
    });
    expect(message).toContain('INTERNAL_AUTH_SECRET must be at least 32 characters');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('pw@');
  });

  it('rejects malformed lists, enums and lengths', () => {
    expect(problems({ ...good, BROKERS: 'localhost' })).toContain(
      'BROKERS has "localhost", expected host:port',
    );
    expect(problems({ ...good, LEVEL: 'loud' })).toContain('LEVEL must be one of info, debug');
    expect(problems({ ...good, NAME: 'toolong' })).toContain('NAME must be at most 5 characters');
    expect(problems({ ...good, EXTRA: 'not a url' })).toContain('EXTRA must be a http:// URL');
  });
});
