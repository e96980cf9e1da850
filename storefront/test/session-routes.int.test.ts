/**
 * The storefront's token-mediating endpoints against the real gateway and user service: what
 * the browser gets (an access token, never the refresh token), what the cookie is, rotation,
 * sharing of a refresh, sign-out, and the requests they refuse.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@shop/logging';
import { graphql, startAuthSupergraph, testEnv, type AuthSupergraph } from '@shop/testing';
import { sessionRoutes } from '../server/session-routes.ts';

const env = testEnv(inject('stack'));
let sg: AuthSupergraph;
let server: http.Server;
let base: string;

beforeAll(async () => {
  sg = await startAuthSupergraph(env, {
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LOGIN_ATTEMPTS_PER_CLIENT: '1000',
    REGISTRATIONS_PER_CLIENT: '1000',
  });
  const app = express();
  app.use(
    '/session',
    sessionRoutes({
      gatewayUrl: sg.gatewayUrl,
      timeoutMs: 10_000,
      cookies: { secure: false, maxAgeSeconds: 3600 },
      logger: createLogger('test', 'silent'),
    }),
  );
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await sg?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/session/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The `name=value` pairs a response sets, and each one's attributes. */
function setCookies(response: Response): Map<string, string> {
  return new Map(
    response.headers.getSetCookie().map((line) => {
      const [pair = ''] = line.split(';');
      return [pair.slice(0, pair.indexOf('=')), line];
    }),
  );
}
const cookieValue = (line: string | undefined) =>
  line?.split(';')[0]?.split('=').slice(1).join('=');

async function registered() {
  const email = `session-${randomUUID()}@example.com`;
  const response = await post('register', { email, password: 'a-long-password-1', name: 'Ann' });
  expect(response.status).toBe(200);
  return { email, response, body: (await response.json()) as any };
}

describe('storefront session endpoints', () => {
  it('sign-up answers the access token and the user, and keeps the refresh token in an HttpOnly cookie', async () => {
    const { response, body } = await registered();
    expect(body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.user).toMatchObject({ name: 'Ann', role: 'CUSTOMER' });
    expect(body).not.toHaveProperty('refreshToken');
    expect(JSON.stringify(body)).not.toContain(cookieValue(setCookies(response).get('tackle_rt')));
    const refresh = setCookies(response).get('tackle_rt')!;
    expect(refresh).toMatch(/HttpOnly/i);
    expect(refresh).toMatch(/SameSite=Strict/i);
    expect(refresh).toMatch(/Path=\/session/);
    const hint = setCookies(response).get('tackle_signed_in')!;
    expect(hint).toMatch(/^tackle_signed_in=1;/);
    expect(hint).not.toMatch(/HttpOnly/i);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The access token works at the gateway.
    const me = await graphql<{ me: { name: string } }>(
      sg.gatewayUrl,
      '{ me { name } }',
      {},
      {
        authorization: `Bearer ${body.accessToken}`,
      },
    );
    expect(me.data?.me.name).toBe('Ann');
  });

  it('rotates the refresh cookie; an old one ends the session', async () => {
    const { response } = await registered();
    const first = cookieValue(setCookies(response).get('tackle_rt'));
    const renewed = await post('refresh', {}, { cookie: `tackle_rt=${first}` });
    expect(renewed.status).toBe(200);
    const second = cookieValue(setCookies(renewed).get('tackle_rt'));
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    // Reusing the first one is refused and ends the session: the second stops working too.
    const reused = await post('refresh', {}, { cookie: `tackle_rt=${first}` });
    expect(reused.status).toBe(401);
    expect(setCookies(reused).get('tackle_rt')).toMatch(/Max-Age=0/);
    expect((await post('refresh', {}, { cookie: `tackle_rt=${second}` })).status).toBe(401);
  });

  it('two refreshes with the same cookie at once share one refresh instead of ending the session', async () => {
    const { response } = await registered();
    const cookie = `tackle_rt=${cookieValue(setCookies(response).get('tackle_rt'))}`;
    const [a, b] = await Promise.all([
      post('refresh', {}, { cookie }),
      post('refresh', {}, { cookie }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const next = cookieValue(setCookies(a).get('tackle_rt'));
    expect(cookieValue(setCookies(b).get('tackle_rt'))).toBe(next);
    expect((await post('refresh', {}, { cookie: `tackle_rt=${next}` })).status).toBe(200);
  });

  it('signs out on the server even when the page has no valid access token', async () => {
    const { response } = await registered();
    const cookie = `tackle_rt=${cookieValue(setCookies(response).get('tackle_rt'))}`;
    const out = await post('logout', {}, { cookie });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ ended: true });
    expect(setCookies(out).get('tackle_signed_in')).toMatch(/Max-Age=0/);
    expect((await post('refresh', {}, { cookie })).status).toBe(401);
  });

  it('passes on the API’s errors with their codes, and refuses requests that are not the store’s own', async () => {
    const { email } = await registered();
    const wrong = await post('login', { email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(
      JSON.stringify(await (await post('login', { email, password: 'x' })).json()),
    ).not.toContain('not-the-password');

    const crossSite = await post(
      'login',
      { email, password: 'a-long-password-1' },
      {
        origin: 'https://evil.example',
      },
    );
    expect(crossSite.status).toBe(403);
    expect(setCookies(crossSite).size).toBe(0);
    const fetchedCrossSite = await post('refresh', {}, { 'sec-fetch-site': 'cross-site' });
    expect(fetchedCrossSite.status).toBe(403);
    const form = await fetch(`${base}/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(email)}&password=a-long-password-1`,
    });
    expect(form.status).toBe(415);
    const malformed = await post('login', '{"email":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const missing = await post('login', { email });
    expect(missing.status).toBe(400);
    expect((await post('refresh', {})).status).toBe(401);
  });
});
