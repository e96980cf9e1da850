import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, generateSigningKeyPem, signClientAddress } from '@shop/auth';
import { clientAddress, internalHeaders } from '../../gateway/src/authenticate.ts';
import { createLogger } from '@shop/logging';
import { loadUserConfig, startUserService } from '@shop/user';
import { graphql, testEnv, TEST_INTERNAL_SECRET, TEST_PREFIX } from '@shop/testing';

/**
 * Per-client limits, against a user service reached directly with the signed client-address
 * header the gateway sends, so each test picks its own client address.
 */
const env = testEnv(inject('stack'));
let userUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const service = await startUserService(
    loadUserConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      LOG_LEVEL: 'silent',
      REDIS_URL: env.stack.redis.url,
      DATABASE_URL: env.databaseUrl('user'),
      JWT_PRIVATE_KEY: await generateSigningKeyPem(),
      RATE_LIMIT_KEY_PREFIX: `${TEST_PREFIX}:rate-limit:${randomUUID()}:`,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LOGIN_ATTEMPTS_PER_EMAIL: '100',
      LOGIN_ATTEMPTS_PER_CLIENT: '4',
      REGISTRATIONS_PER_CLIENT: '3',
    }),
    createLogger('test', 'silent'),
  );
  userUrl = `${service.url}/graphql`;
  close = () => service.close();
});
afterAll(async () => {
  await close?.();
});

const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { refreshToken } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(token: $token) { refreshToken } }`;
const from = (address: string) => ({
  [CLIENT_ADDRESS_HEADER]: signClientAddress(address, TEST_INTERNAL_SECRET),
});
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) =>
  res.errors?.[0]?.extensions?.code;
const email = () => `limits-${randomUUID()}@tackle.test`;
const randomAddress = () =>
  `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

describe('login limit per client address', () => {
  it('stops one client trying many accounts, and only that client', async () => {
    const attacker = randomAddress();
    for (let i = 0; i < 4; i++) {
      const res = await graphql(
        userUrl,
        LOGIN,
        { email: email(), password: 'guess-123456' },
        from(attacker),
      );
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
    const limited = await graphql(
      userUrl,
      LOGIN,
      { email: email(), password: 'guess-123456' },
      from(attacker),
    );
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
    const bystander = await graphql(
      userUrl,
      LOGIN,
      { email: email(), password: 'guess-123456' },
      from(randomAddress()),
    );
    expect(codeOf(bystander)).toBe('UNAUTHENTICATED');
  });

  it('ignores a client-address header that the gateway did not sign', async () => {
    const forged = { [CLIENT_ADDRESS_HEADER]: signClientAddress('10.9.9.9', 'x'.repeat(40)) };
    for (let i = 0; i < 6; i++) {
      const res = await graphql(
        userUrl,
        LOGIN,
        { email: email(), password: 'guess-123456' },
        forged,
      );
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('sign-up limit per client address', () => {
  it('allows 3 sign-ups per client per window', async () => {
    const client = randomAddress();
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const res = await graphql(
        userUrl,
        REGISTER,
        { input: { email: email(), password: 'good-password-1', name: 'L' } },
        from(client),
      );
      codes.push(codeOf(res) ?? 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED']);
  });
});

describe('concurrent refresh with one token', () => {
  it('rotates at most once; the loser counts as reuse and ends the session', async () => {
    const reg = await graphql<any>(userUrl, REGISTER, {
      input: { email: email(), password: 'good-password-1', name: 'C' },
    });
    const token = reg.data.register.refreshToken;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => graphql<any>(userUrl, REFRESH, { token })),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners.length).toBeLessThanOrEqual(1);
    for (const r of results.filter((x) => x.errors)) expect(codeOf(r)).toBe('UNAUTHENTICATED');
    for (const w of winners) {
      const next = await graphql(userUrl, REFRESH, { token: w.data.refreshToken.refreshToken });
      expect(codeOf(next)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('client address at the gateway', () => {
  const req = (remoteAddress: string, forwardedFor?: string) =>
    ({
      socket: { remoteAddress },
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    }) as unknown as http.IncomingMessage;

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(req('::ffff:203.0.113.5', '1.2.3.4'))).toBe('203.0.113.5');
    expect(clientAddress(req('2001:DB8::1'))).toBe('2001:db8::1');
  });

  it('behind N trusted proxies is the Nth X-Forwarded-For entry from the right', () => {
    expect(clientAddress(req('10.0.0.2', 'spoofed, 198.51.100.7, 10.0.0.1'), 2)).toBe(
      '198.51.100.7',
    );
    expect(clientAddress(req('10.0.0.2', '198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('10.0.0.2', 'garbage'), 1)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  it('travels to subgraphs as signed headers', () => {
    const headers = internalHeaders(
      { identity: null, clientAddress: '198.51.100.7' },
      TEST_INTERNAL_SECRET,
    );
    expect(Object.keys(headers)).toEqual([CLIENT_ADDRESS_HEADER]);
  });
});
