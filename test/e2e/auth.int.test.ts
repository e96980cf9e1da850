import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  AccessTokenSigner,
  generateSigningKeyPem,
  IDENTITY_HEADER,
  signIdentity,
} from '@shop/auth';
import {
  graphql,
  startAuthSupergraph,
  testEnv,
  TEST_INTERNAL_SECRET,
  withServiceDb,
  type AuthSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let sg: AuthSupergraph;

beforeAll(async () => {
  sg = await startAuthSupergraph(env, {
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LOGIN_ATTEMPTS_PER_EMAIL: '3',
    CURRENT_PASSWORD_ATTEMPTS_PER_USER: '3',
    LOGIN_ATTEMPTS_PER_CLIENT: '1000',
    REGISTRATIONS_PER_CLIENT: '1000',
    ACCESS_TOKEN_TTL_SECONDS: '300',
  });
});
afterAll(async () => {
  await sg?.close();
});

const PAYLOAD = 'accessToken refreshToken expiresIn user { id email name role createdAt }';
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${PAYLOAD} } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(token: $token) { ${PAYLOAD} } }`;
const LOGOUT = 'mutation { logout }';
const ME = '{ me { id email name role } }';
const UPDATE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id email name } }`;

const PASSWORD = 'fly-fishing-2026';
const newEmail = () => `angler-${randomUUID()}@tackle.test`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const gw = (query: string, variables: Record<string, unknown> = {}, headers = {}) =>
  graphql<any>(sg.gatewayUrl, query, variables, headers);
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) =>
  res.errors?.[0]?.extensions?.code;

async function register(email = newEmail(), password = PASSWORD, name = 'Test Angler') {
  const res = await gw(REGISTER, { input: { email, password, name } });
  expect(res.errors).toBeUndefined();
  return { email, password, ...(res.data.register as any) };
}

describe('register', () => {
  it('creates a customer, signs it in and normalizes the e-mail', async () => {
    const email = newEmail();
    const res = await gw(REGISTER, {
      input: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: '  Joe  ' },
    });
    expect(res.errors).toBeUndefined();
    const payload = res.data.register;
    expect(payload.user).toMatchObject({ email, name: 'Joe', role: 'CUSTOMER' });
    expect(payload.expiresIn).toBe(300);
    expect(payload.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [header, claims] = payload.accessToken
      .split('.')
      .slice(0, 2)
      .map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(claims).toMatchObject({ sub: payload.user.id, role: 'CUSTOMER' });
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp - claims.iat).toBe(300);
    const me = await gw(ME, {}, bearer(payload.accessToken));
    expect(me.data.me).toEqual({ id: payload.user.id, email, name: 'Joe', role: 'CUSTOMER' });
  });

  it('refuses an address that already has an account, in any case', async () => {
    const { email } = await register();
    const res = await gw(REGISTER, {
      input: { email: email.toUpperCase(), password: 'another-password', name: 'Dup' },
    });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0]!.extensions!.field).toBe('email');
  });

  const good = () => ({ email: newEmail(), password: PASSWORD, name: 'Ok' });
  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: '' }],
    ['email', { email: `${'a'.repeat(250)}@tackle.test` }],
    ['email', { email: `${'a'.repeat(100_000)}@tackle.test` }],
    ['password', { password: 'short-1' }],
    ['password', { password: 'p'.repeat(129) }],
    ['password', { password: 'p'.repeat(100_000) }],
    ['name', { name: '   ' }],
    ['name', { name: 'n'.repeat(121) }],
    ['name', { name: 'bad\u0007name' }],
  ])('refuses a bad %s (%#) with BAD_USER_INPUT', async (field, override) => {
    const res = await gw(REGISTER, { input: { ...good(), ...override } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions!.field).toBe(field);
  });

  it('refuses a password equal to the e-mail', async () => {
    const email = newEmail();
    const res = await gw(REGISTER, { input: { email, password: email, name: 'X' } });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('refuses wrong types and missing fields', async () => {
    const wrongType = await gw(REGISTER, { input: { ...good(), password: 1234567890123 } });
    expect(codeOf(wrongType)).toBe('BAD_USER_INPUT');
    const missing = await gw(REGISTER, { input: { email: newEmail(), password: PASSWORD } });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
  });
});

describe('login', () => {
  it('signs in with the right password, whatever the e-mail case', async () => {
    const account = await register();
    const res = await gw(LOGIN, { email: account.email.toUpperCase(), password: PASSWORD });
    expect(res.errors).toBeUndefined();
    expect(res.data.login.user.id).toBe(account.user.id);
    const me = await gw(ME, {}, bearer(res.data.login.accessToken));
    expect(me.data.me.id).toBe(account.user.id);
  });

  it('gives one generic UNAUTHENTICATED for a wrong password and an unknown e-mail', async () => {
    const account = await register();
    const wrong = await gw(LOGIN, { email: account.email, password: 'wrong-password-1' });
    const unknown = await gw(LOGIN, { email: newEmail(), password: PASSWORD });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect(wrong.data).toBeNull();
  });

  it('refuses overlong and empty input with BAD_USER_INPUT', async () => {
    expect(codeOf(await gw(LOGIN, { email: newEmail(), password: 'x'.repeat(129) }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await gw(LOGIN, { email: 'e'.repeat(300), password: PASSWORD }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await gw(LOGIN, { email: '', password: PASSWORD }))).toBe('BAD_USER_INPUT');
  });

  it('is rate limited per e-mail after 3 failures, even with the right password then', async () => {
    const account = await register();
    for (let i = 0; i < 3; i++)
      expect(
        codeOf(await gw(LOGIN, { email: account.email, password: `wrong-${i}-password` })),
      ).toBe('UNAUTHENTICATED');
    const limited = await gw(LOGIN, { email: account.email, password: PASSWORD });
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    const retryAfter = limited.errors![0]!.extensions!.retryAfter as number;
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
  });

  it('does not count successful logins against the limit', async () => {
    const account = await register();
    for (let i = 0; i < 6; i++) {
      const res = await gw(LOGIN, { email: account.email, password: PASSWORD });
      expect(res.errors).toBeUndefined();
    }
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: a new pair each time, the old refresh token spent', async () => {
    const first = await register();
    const res = await gw(REFRESH, { token: first.refreshToken });
    expect(res.errors).toBeUndefined();
    const second = res.data.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(first.user.id);
    const sid = (t: string) =>
      JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).sid;
    expect(sid(second.accessToken)).toBe(sid(first.accessToken));
    const third = await gw(REFRESH, { token: second.refreshToken });
    expect(third.errors).toBeUndefined();
    expect((await gw(ME, {}, bearer(third.data.refreshToken.accessToken))).data.me.id).toBe(
      first.user.id,
    );
  });

  it('reuse of a rotated token ends the whole session: refresh and access tokens', async () => {
    const first = await register();
    const rotated = (await gw(REFRESH, { token: first.refreshToken })).data.refreshToken;
    const reuse = await gw(REFRESH, { token: first.refreshToken });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    // The thief's (or the user's) newest refresh token is dead too...
    expect(codeOf(await gw(REFRESH, { token: rotated.refreshToken }))).toBe('UNAUTHENTICATED');
    // ...and so are the session's access tokens, old and new.
    for (const token of [first.accessToken, rotated.accessToken]) {
      const me = await gw(ME, {}, bearer(token));
      expect(me.status).toBe(401);
      expect(codeOf(me)).toBe('UNAUTHENTICATED');
    }
    // Other sessions of the same user are untouched.
    const other = await gw(LOGIN, { email: first.email, password: PASSWORD });
    expect((await gw(ME, {}, bearer(other.data.login.accessToken))).data.me.id).toBe(first.user.id);
  });

  it('refuses unknown, malformed and overlong tokens', async () => {
    expect(codeOf(await gw(REFRESH, { token: 'A'.repeat(43) }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(REFRESH, { token: 'not a token' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(REFRESH, { token: 'A'.repeat(10_000) }))).toBe('BAD_USER_INPUT');
  });

  it('refuses an expired refresh token', async () => {
    const short = await startAuthSupergraph(env, {
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      REFRESH_TOKEN_TTL_SECONDS: '300',
    });
    try {
      const reg = await graphql<any>(short.gatewayUrl, REGISTER, {
        input: { email: newEmail(), password: PASSWORD, name: 'Exp' },
      });
      const token = reg.data.register.refreshToken as string;
      // Age the stored token past its expiry, as 300 s of waiting would.
      const { createUserPrisma } = await import('@shop/prisma/user');
      const { hashRefreshToken } =
        await import('../../subgraphs/user/src/domain/refresh-tokens.ts');
      const db = createUserPrisma(env.databaseUrl('user'));
      await db.refreshToken.update({
        where: { tokenHash: hashRefreshToken(token) },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      await db.$disconnect();
      const res = await graphql<any>(short.gatewayUrl, REFRESH, { token });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    } finally {
      await short.close();
    }
  });
});

describe('logout', () => {
  it('ends the session: its access token and refresh token stop working', async () => {
    const account = await register();
    const res = await gw(LOGOUT, {}, bearer(account.accessToken));
    expect(res.errors).toBeUndefined();
    expect(res.data.logout).toBe(true);
    const me = await gw(ME, {}, bearer(account.accessToken));
    expect(me.status).toBe(401);
    expect(codeOf(me)).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(REFRESH, { token: account.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('needs a signed-in caller', async () => {
    expect(codeOf(await gw(LOGOUT))).toBe('UNAUTHENTICATED');
  });
});

describe('access tokens at the gateway', () => {
  const identity = () => ({ userId: randomUUID(), role: 'CUSTOMER' as const });

  it('refuses an expired token', async () => {
    const token = await sg.tokenFor(identity(), { ttlSeconds: 60, now: Date.now() - 3_600_000 });
    const res = await gw(ME, {}, bearer(token));
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed by another key, and a tampered one', async () => {
    const forger = await AccessTokenSigner.fromPem(await generateSigningKeyPem());
    const forged = await forger.sign({ userId: randomUUID(), role: 'ADMIN' }, randomUUID(), 300);
    expect(codeOf(await gw(ME, {}, bearer(forged)))).toBe('UNAUTHENTICATED');
    const { accessToken } = await register();
    const [h, p, s] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString(
      'base64url',
    );
    expect(codeOf(await gw(ME, {}, bearer(`${h}.${tampered}.${s}`)))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(ME, {}, { authorization: 'Bearer nonsense' }))).toBe('UNAUTHENTICATED');
  });

  it('answers me as null without a token', async () => {
    const res = await gw(ME);
    expect(res.errors).toBeUndefined();
    expect(res.data.me).toBeNull();
  });
});

/** The user outbox rows of one account, oldest first. */
const eventsOf = (userId: string) =>
  withServiceDb(env, 'user', async (db) => {
    const { rows } = await db.query<{ type: string; topic: string; payload: any }>(
      `SELECT type, topic, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq`,
      [userId],
    );
    return rows;
  });

describe('account events (user outbox)', () => {
  it('announces a sign-up and a profile change, never a password change or a refused sign-up', async () => {
    const account = await register(undefined, undefined, 'Event Angler');
    const id = account.user.id;
    expect(await eventsOf(id)).toEqual([
      {
        type: 'UserRegistered',
        topic: 'users',
        payload: { userId: id, email: account.email, name: 'Event Angler', role: 'CUSTOMER' },
      },
    ]);
    expect(
      codeOf(
        await gw(REGISTER, { input: { email: account.email, password: PASSWORD, name: 'Twin' } }),
      ),
    ).toBe('CONFLICT');
    const auth = bearer(account.accessToken);
    const password = await gw(
      UPDATE,
      { input: { newPassword: 'another-long-pass', currentPassword: PASSWORD } },
      auth,
    );
    expect(password.errors).toBeUndefined();
    expect(await eventsOf(id)).toHaveLength(1);
    expect((await gw(UPDATE, { input: { name: 'Renamed Angler' } }, auth)).errors).toBeUndefined();
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'UserUpdated']);
    expect(events[1]!.payload).toEqual({
      userId: id,
      email: account.email,
      name: 'Renamed Angler',
      role: 'CUSTOMER',
    });
    // The password hash never travels.
    expect(JSON.stringify(events)).not.toMatch(/argon2|passwordHash/);
  });
});

describe('updateProfile', () => {
  it('changes the name without a password', async () => {
    const account = await register();
    const res = await gw(UPDATE, { input: { name: ' Renamed ' } }, bearer(account.accessToken));
    expect(res.errors).toBeUndefined();
    expect(res.data.updateProfile).toMatchObject({ id: account.user.id, name: 'Renamed' });
  });

  it('changes the e-mail with the current password, refusing one that is taken', async () => {
    const account = await register();
    const taken = await register();
    const auth = bearer(account.accessToken);
    const noPassword = await gw(UPDATE, { input: { email: newEmail() } }, auth);
    expect(codeOf(noPassword)).toBe('BAD_USER_INPUT');
    expect(noPassword.errors![0]!.extensions!.field).toBe('currentPassword');
    const wrong = await gw(
      UPDATE,
      { input: { email: newEmail(), currentPassword: 'not-my-password' } },
      auth,
    );
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    const conflict = await gw(
      UPDATE,
      { input: { email: taken.email.toUpperCase(), currentPassword: PASSWORD } },
      auth,
    );
    expect(codeOf(conflict)).toBe('CONFLICT');
    const fresh = newEmail();
    const ok = await gw(UPDATE, { input: { email: fresh, currentPassword: PASSWORD } }, auth);
    expect(ok.data.updateProfile.email).toBe(fresh);
    expect((await gw(LOGIN, { email: fresh, password: PASSWORD })).errors).toBeUndefined();
  });

  it('changes the password and signs out every other session', async () => {
    const account = await register();
    const other = (await gw(LOGIN, { email: account.email, password: PASSWORD })).data.login;
    const res = await gw(
      UPDATE,
      { input: { newPassword: 'a-brand-new-pass', currentPassword: PASSWORD } },
      bearer(account.accessToken),
    );
    expect(res.errors).toBeUndefined();
    // This session goes on...
    expect((await gw(ME, {}, bearer(account.accessToken))).data.me.id).toBe(account.user.id);
    expect((await gw(REFRESH, { token: account.refreshToken })).errors).toBeUndefined();
    // ...the other one is over, access and refresh token alike.
    expect(codeOf(await gw(ME, {}, bearer(other.accessToken)))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(REFRESH, { token: other.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gw(LOGIN, { email: account.email, password: PASSWORD }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await gw(LOGIN, { email: account.email, password: 'a-brand-new-pass' })).errors,
    ).toBeUndefined();
  });

  it('limits wrong current passwords per user like logins: RATE_LIMITED with retryAfter', async () => {
    const account = await register();
    const auth = bearer(account.accessToken);
    const change = (currentPassword: string) =>
      gw(UPDATE, { input: { email: newEmail(), currentPassword } }, auth);
    // A right one is given back, so a user who types it right is never counted.
    expect((await change(PASSWORD)).errors).toBeUndefined();
    for (let i = 0; i < 3; i++)
      expect(codeOf(await change(`guess-${i}-123456`))).toBe('BAD_USER_INPUT');
    const limited = await change('guess-4-123456');
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
    // Limited means no check at all, the right password included, until the bucket refills...
    expect(codeOf(await change(PASSWORD))).toBe('RATE_LIMITED');
    // ...for this user only; changing the name needs no password and still works.
    expect((await gw(UPDATE, { input: { name: 'Still Me' } }, auth)).errors).toBeUndefined();
    const other = await register();
    const otherChange = await gw(
      UPDATE,
      { input: { email: newEmail(), currentPassword: PASSWORD } },
      bearer(other.accessToken),
    );
    expect(otherChange.errors).toBeUndefined();
  });

  it('refuses bad input and anonymous callers', async () => {
    const account = await register();
    const auth = bearer(account.accessToken);
    expect(codeOf(await gw(UPDATE, { input: {} }, auth))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw(UPDATE, { input: { name: 'x'.repeat(121) } }, auth))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(
        await gw(UPDATE, { input: { newPassword: 'short', currentPassword: PASSWORD } }, auth),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw(UPDATE, { input: { name: 'Anon' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('privacy of e-mail addresses', () => {
  const ENTITY = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { id email name } } }`;

  it('shows a user their own address, an admin anyone, another user null', async () => {
    const alice = await register();
    const bob = await register();
    const asUser = (userId: string, role: 'CUSTOMER' | 'ADMIN' = 'CUSTOMER') => ({
      [IDENTITY_HEADER]: signIdentity({ userId, role }, TEST_INTERNAL_SECRET),
    });
    const read = (headers: Record<string, string>) =>
      graphql<any>(sg.subgraphUrls.user, ENTITY, { id: alice.user.id }, headers);
    expect((await read(asUser(alice.user.id))).data._entities[0].email).toBe(alice.email);
    expect((await read(asUser(bob.user.id))).data._entities[0]).toMatchObject({
      id: alice.user.id,
      email: null,
    });
    expect((await read(asUser(randomUUID(), 'ADMIN'))).data._entities[0].email).toBe(alice.email);
    expect((await read({})).data._entities[0].email).toBeNull();
  });
});
