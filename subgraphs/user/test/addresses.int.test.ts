import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@shop/auth';
import { createUserPrisma, type Role } from '@shop/prisma/user';
import { SubgraphClient, type SubgraphResponseError } from '@shop/subgraph-client';
import {
  graphql,
  startSupergraph,
  testEnv,
  TEST_INTERNAL_SECRET,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * The address book through the gateway, against the real user database: what a customer can do
 * with their own addresses, what they cannot do with anybody else's, and the one-default rule
 * under concurrent calls.
 */
const env = testEnv(inject('stack'));
const db = createUserPrisma(env.databaseUrl('user'));
let sg: RunningSupergraph;
const created: string[] = [];

beforeAll(async () => {
  sg = await startSupergraph(env);
});
afterAll(async () => {
  await sg?.close();
  // Addresses go with their users (ON DELETE CASCADE).
  await db.user.deleteMany({ where: { id: { in: created } } });
  await db.$disconnect();
});

const FIELDS = 'id recipient phone line1 line2 city region postalCode country isDefault';
const ADD = `mutation ($input: AddressInput!) { addAddress(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: AddressInput!) { updateAddress(id: $id, input: $input) { ${FIELDS} } }`;
const REMOVE = `mutation ($id: ID!) { removeAddress(id: $id) }`;
const SET_DEFAULT = `mutation ($id: ID!) { setDefaultAddress(id: $id) { id isDefault } }`;
const BOOK = `{ me { id addresses { ${FIELDS} } } }`;

const home = {
  recipient: 'Izaak Walton',
  phone: '+44 20 7946 0958',
  line1: '1 Fleet Street',
  city: 'London',
  postalCode: 'EC4Y 1AA',
  country: 'GB',
};
const cabin = {
  recipient: 'Izaak Walton',
  phone: '+1 (555) 123-4567',
  line1: '42 River Road',
  line2: 'Cabin 7',
  city: 'Livingston',
  region: 'MT',
  postalCode: '59047',
  country: 'US',
};

interface Customer {
  id: string;
  identity: Identity;
  call(query: string, variables?: Record<string, unknown>): Promise<any>;
}

/** A user in the database and a client signed in as them through the gateway. */
async function newUser(role: Role = 'CUSTOMER'): Promise<Customer> {
  const user = await db.user.create({
    data: {
      email: `addresses-${randomUUID()}@tackle.test`,
      passwordHash: 'unused',
      name: 'A',
      role,
    },
  });
  created.push(user.id);
  const identity: Identity = { userId: user.id, role };
  const headers = await sg.authAs(identity);
  return {
    id: user.id,
    identity,
    call: (query, variables = {}) => graphql<any>(sg.gatewayUrl, query, variables, headers),
  };
}

const anonymous = (query: string, variables: Record<string, unknown> = {}) =>
  graphql<any>(sg.gatewayUrl, query, variables);

/** The first error's message and extensions (the gateway adds serviceName). */
const refusal = (res: {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}): { message: string; code?: unknown; [extension: string]: unknown } => {
  expect(res.errors, 'expected an error').toBeDefined();
  const [error] = res.errors!;
  return { message: error!.message, ...error!.extensions };
};

async function add(customer: Customer, input: Record<string, unknown>) {
  const res = await customer.call(ADD, { input });
  expect(res.errors).toBeUndefined();
  return res.data.addAddress as { id: string; isDefault: boolean };
}

const rowsOf = (userId: string) =>
  db.address.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
const defaultsOf = async (userId: string) =>
  (await rowsOf(userId)).filter((row) => row.isDefault).map((row) => row.id);

describe('address book: create, read, update, delete', () => {
  it('adds a normalized address that becomes the default, and lists it on me', async () => {
    const alice = await newUser();
    expect((await alice.call(BOOK)).data.me.addresses).toEqual([]);
    const res = await alice.call(ADD, {
      input: { ...home, recipient: '  Izaak Walton ', postalCode: 'ec4y1aa', country: 'gb' },
    });
    expect(res.errors).toBeUndefined();
    const added = res.data.addAddress;
    expect(added).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...home,
      line2: null,
      region: null,
      isDefault: true,
    });
    expect((await alice.call(BOOK)).data.me).toEqual({ id: alice.id, addresses: [added] });
    const [row] = await rowsOf(alice.id);
    expect(row).toMatchObject({ ...home, id: added.id, userId: alice.id, isDefault: true });
  });

  it('updates every field of an address, keeping whether it is the default', async () => {
    const alice = await newUser();
    const first = await add(alice, home);
    const second = await add(alice, home);
    expect(second.isDefault).toBe(false);
    const before = (await rowsOf(alice.id)).find((row) => row.id === second.id)!;
    const res = await alice.call(UPDATE, {
      id: second.id,
      input: { ...cabin, postalCode: '590471234' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateAddress).toEqual({
      id: second.id,
      ...cabin,
      postalCode: '59047-1234',
      isDefault: false,
    });
    const after = (await rowsOf(alice.id)).find((row) => row.id === second.id)!;
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(after.createdAt).toEqual(before.createdAt);
    // Optional parts left out of a replacement are cleared.
    const cleared = await alice.call(UPDATE, { id: second.id, input: home });
    expect(cleared.data.updateAddress).toMatchObject({ line2: null, region: null });
    const kept = await alice.call(UPDATE, { id: first.id, input: cabin });
    expect(kept.data.updateAddress).toMatchObject({ id: first.id, isDefault: true });
  });

  it('removes an address for good', async () => {
    const alice = await newUser();
    await add(alice, home);
    const spare = await add(alice, cabin);
    expect((await alice.call(REMOVE, { id: spare.id })).data).toEqual({ removeAddress: true });
    expect((await rowsOf(alice.id)).map((row) => row.id)).not.toContain(spare.id);
    expect(refusal(await alice.call(REMOVE, { id: spare.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('address book: the default address', () => {
  it('lists the default first, then the most recently added or edited', async () => {
    const alice = await newUser();
    const a = await add(alice, home);
    const b = await add(alice, cabin);
    const c = await add(alice, home);
    const ids = async () =>
      ((await alice.call(BOOK)).data.me.addresses as { id: string }[]).map((x) => x.id);
    expect(await ids()).toEqual([a.id, c.id, b.id]);
    await alice.call(UPDATE, { id: b.id, input: cabin });
    expect(await ids()).toEqual([a.id, b.id, c.id]);
  });

  it('switches the default in one step and keeps exactly one', async () => {
    const alice = await newUser();
    const a = await add(alice, home);
    const b = await add(alice, cabin);
    const res = await alice.call(SET_DEFAULT, { id: b.id });
    expect(res.data.setDefaultAddress).toEqual({ id: b.id, isDefault: true });
    expect(await defaultsOf(alice.id)).toEqual([b.id]);
    // Making the default the default again changes nothing.
    expect((await alice.call(SET_DEFAULT, { id: b.id })).data.setDefaultAddress.isDefault).toBe(
      true,
    );
    expect(await defaultsOf(alice.id)).toEqual([b.id]);
    const book = (await alice.call(BOOK)).data.me.addresses;
    expect(book.map((x: any) => [x.id, x.isDefault])).toEqual([
      [b.id, true],
      [a.id, false],
    ]);
  });

  it('promotes the most recently updated address when the default is removed', async () => {
    const alice = await newUser();
    const a = await add(alice, home);
    const b = await add(alice, cabin);
    const c = await add(alice, home);
    await alice.call(SET_DEFAULT, { id: c.id });
    // b is edited after c was added: the most recently updated of a and b.
    await alice.call(UPDATE, { id: b.id, input: { ...cabin, line2: 'Cabin 8' } });
    expect((await alice.call(REMOVE, { id: c.id })).data.removeAddress).toBe(true);
    expect(await defaultsOf(alice.id)).toEqual([b.id]);
    await alice.call(REMOVE, { id: b.id });
    expect(await defaultsOf(alice.id)).toEqual([a.id]);
    await alice.call(REMOVE, { id: a.id });
    expect(await rowsOf(alice.id)).toEqual([]);
    // An empty book starts over: the next address is the default again.
    expect((await add(alice, cabin)).isDefault).toBe(true);
  });

  it('removing an address that is not the default leaves the default alone', async () => {
    const alice = await newUser();
    const a = await add(alice, home);
    const b = await add(alice, cabin);
    await alice.call(REMOVE, { id: b.id });
    expect(await defaultsOf(alice.id)).toEqual([a.id]);
  });

  it('concurrent setDefaultAddress calls leave exactly one default, the last to commit', async () => {
    const alice = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await add(alice, { ...home, line2: `Flat ${i}` })).id);
    for (let round = 0; round < 3; round++) {
      const targets = Array.from({ length: 12 }, (_, i) => ids[(i + round) % ids.length]!);
      const results = await Promise.all(targets.map((id) => alice.call(SET_DEFAULT, { id })));
      for (const res of results) expect(res.errors).toBeUndefined();
      const defaults = await defaultsOf(alice.id);
      expect(defaults).toHaveLength(1);
      expect(ids).toContain(defaults[0]);
      const book = (await alice.call(BOOK)).data.me.addresses as any[];
      expect(book.filter((x) => x.isDefault).map((x) => x.id)).toEqual(defaults);
      expect(book[0].id).toBe(defaults[0]);
    }
  });

  it('the database itself refuses a second default address of one user', async () => {
    const alice = await newUser();
    const a = await add(alice, home);
    const b = await add(alice, cabin);
    await expect(
      db.$executeRaw`UPDATE addresses SET is_default = true WHERE id = ${b.id}::uuid`,
    ).rejects.toThrow(/addresses_one_default_per_user|Unique constraint/);
    expect(await defaultsOf(alice.id)).toEqual([a.id]);
  });
});

describe('address book: limits', () => {
  it('holds at most 20 addresses, with a clear error for the 21st', async () => {
    const alice = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await add(alice, { ...home, line2: `Flat ${i}` })).id);
    expect(refusal(await alice.call(ADD, { input: home }))).toEqual({
      message: 'An address book holds at most 20 addresses; remove one to add another',
      code: 'BAD_USER_INPUT',
      limit: 20,
      serviceName: 'user',
    });
    expect(await rowsOf(alice.id)).toHaveLength(20);
    await alice.call(REMOVE, { id: ids[7] });
    expect((await alice.call(ADD, { input: home })).errors).toBeUndefined();
    expect(await rowsOf(alice.id)).toHaveLength(20);
  });

  it('concurrent adds to an empty book stop at 20, with exactly one default', async () => {
    const alice = await newUser();
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => alice.call(ADD, { input: { ...home, line2: `${i}` } })),
    );
    const ok = results.filter((res) => !res.errors);
    const refused = results.filter((res) => res.errors);
    expect(ok).toHaveLength(20);
    expect(refused.map((res) => refusal(res).code)).toEqual(Array(4).fill('BAD_USER_INPUT'));
    expect(ok.filter((res) => res.data.addAddress.isDefault)).toHaveLength(1);
    expect(await rowsOf(alice.id)).toHaveLength(20);
    expect(await defaultsOf(alice.id)).toHaveLength(1);
  });
});

describe('address book: bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['recipient', { recipient: '' }, 'recipient is required'],
    ['recipient', { recipient: '   ' }, 'recipient is required'],
    ['recipient', { recipient: 'x'.repeat(101) }, 'recipient must be at most 100 characters'],
    ['recipient', { recipient: 'Izaak\nWalton' }, 'recipient must not contain control characters'],
    [
      'recipient',
      { recipient: 'Izaak\u202EWalton' },
      'recipient must not contain control characters',
    ],
    ['phone', { phone: '' }, 'phone is required'],
    ['phone', { phone: '12345' }, 'phone must have 6 to 20 digits'],
    ['phone', { phone: '1'.repeat(21) }, 'phone must have 6 to 20 digits'],
    [
      'phone',
      { phone: '555-FISH-NOW' },
      'phone may hold only digits, spaces, parentheses, hyphens and a leading +',
    ],
    ['phone', { phone: '12\t345678' }, 'phone must not contain control characters'],
    ['line1', { line1: '' }, 'line1 is required'],
    ['line1', { line1: 'x'.repeat(201) }, 'line1 must be at most 200 characters'],
    ['line1', { line1: 'a\u0007b' }, 'line1 must not contain control characters'],
    ['line2', { line2: 'x'.repeat(201) }, 'line2 must be at most 200 characters'],
    ['line2', { line2: 'a\rb' }, 'line2 must not contain control characters'],
    ['city', { city: '' }, 'city is required'],
    ['city', { city: 'x'.repeat(101) }, 'city must be at most 100 characters'],
    ['city', { city: 'Lon\u0085don' }, 'city must not contain control characters'],
    ['region', { region: 'x'.repeat(101) }, 'region must be at most 100 characters'],
    ['region', { region: 'a\u2028b' }, 'region must not contain control characters'],
    ['postalCode', { postalCode: '' }, 'postalCode is required'],
    [
      'postalCode',
      { postalCode: '10115' },
      'postalCode is not a valid postal code for United Kingdom (for example SW1A 1AA)',
    ],
    [
      'postalCode',
      { country: 'NL', postalCode: '1012 SA' },
      'postalCode is not a valid postal code for Netherlands (for example 1012 AB)',
    ],
    ['country', { country: '' }, 'country is required'],
    [
      'country',
      { country: 'GBR' },
      'country must be a two-letter ISO 3166-1 alpha-2 code (for example US or DE)',
    ],
    [
      'country',
      { country: 'br' },
      'We do not ship to BR; country must be one of US, CA, GB, IE, DE, FR, NL, BE, LU, AT, CH, IT, ES, PT, DK, SE, NO, FI, PL, AU, NZ, JP',
    ],
    [
      'country',
      { country: 'XX' },
      'We do not ship to XX; country must be one of US, CA, GB, IE, DE, FR, NL, BE, LU, AT, CH, IT, ES, PT, DK, SE, NO, FI, PL, AU, NZ, JP',
    ],
  ];

  it.each(cases)(
    '%s: %j is refused (%s), and nothing is written',
    async (field, change, message) => {
      const alice = await newUser();
      expect(refusal(await alice.call(ADD, { input: { ...home, ...change } }))).toEqual({
        message,
        code: 'BAD_USER_INPUT',
        field,
        serviceName: 'user',
      });
      expect(message).toContain(field);
      expect(await rowsOf(alice.id)).toEqual([]);
      // The same input refused as an update leaves the address as it was.
      const kept = await add(alice, home);
      const before = await rowsOf(alice.id);
      expect(
        refusal(await alice.call(UPDATE, { id: kept.id, input: { ...home, ...change } })),
      ).toEqual({ message, code: 'BAD_USER_INPUT', field, serviceName: 'user' });
      expect(await rowsOf(alice.id)).toEqual(before);
    },
  );

  it('refuses an id that is not one, naming the argument', async () => {
    const alice = await newUser();
    for (const [query, variables] of [
      [UPDATE, { id: 'not-an-id', input: home }],
      [REMOVE, { id: 'not-an-id' }],
      [SET_DEFAULT, { id: '42' }],
    ] as const)
      expect(refusal(await alice.call(query, variables))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'id',
      });
  });

  it('a missing required field is refused by the schema, without the value', async () => {
    const alice = await newUser();
    const { recipient: _omitted, ...rest } = home;
    const res = await alice.call(ADD, { input: { ...rest, phone: 'SECRET-0000' } });
    expect(refusal(res).code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.errors)).not.toContain('SECRET');
    expect(await rowsOf(alice.id)).toEqual([]);
  });
});

describe('address book: whose addresses', () => {
  it("another customer's address is NOT_FOUND, exactly like one that does not exist", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const target = await add(alice, home);
    const before = await rowsOf(alice.id);
    const notFound = {
      message: 'No such address in your address book',
      code: 'NOT_FOUND',
      field: 'id',
      serviceName: 'user',
    };
    for (const id of [target.id, randomUUID()]) {
      expect(refusal(await mallory.call(UPDATE, { id, input: cabin }))).toEqual(notFound);
      expect(refusal(await mallory.call(REMOVE, { id }))).toEqual(notFound);
      expect(refusal(await mallory.call(SET_DEFAULT, { id }))).toEqual(notFound);
    }
    expect(await rowsOf(alice.id)).toEqual(before);
    expect(await rowsOf(mallory.id)).toEqual([]);
    expect((await mallory.call(BOOK)).data.me.addresses).toEqual([]);
  });

  it('refuses every address-book mutation without sign-in, writing nothing', async () => {
    const alice = await newUser();
    const target = await add(alice, home);
    const before = await rowsOf(alice.id);
    const marker = `Nobody ${randomUUID()}`;
    for (const [query, variables] of [
      [ADD, { input: { ...home, recipient: marker } }],
      [UPDATE, { id: target.id, input: { ...home, recipient: marker } }],
      [REMOVE, { id: target.id }],
      [SET_DEFAULT, { id: target.id }],
    ] as const)
      expect(refusal(await anonymous(query, variables))).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    expect(await rowsOf(alice.id)).toEqual(before);
    expect(await db.address.count({ where: { recipient: marker } })).toBe(0);
    expect((await anonymous(BOOK)).data).toEqual({ me: null });
  });

  it("shows a user's addresses to them and to admins only: FORBIDDEN for anybody else", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const admin = await newUser('ADMIN');
    const address = await add(alice, home);
    // The gateway resolves a User of another subgraph (an order's buyer, a review's author)
    // through _entities, with the caller's signed identity.
    const ENTITY = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) { ... on User { id addresses { id } } } }`;
    const read = (who: Identity | null) =>
      graphql<any>(
        sg.subgraphUrls.user,
        ENTITY,
        { id: alice.id },
        who ? { [IDENTITY_HEADER]: signIdentity(who, TEST_INTERNAL_SECRET) } : {},
      );
    expect((await read(alice.identity)).data._entities).toEqual([
      { id: alice.id, addresses: [{ id: address.id }] },
    ]);
    expect((await read(admin.identity)).data._entities[0].addresses).toEqual([{ id: address.id }]);
    for (const who of [bob.identity, null]) {
      const res = await read(who);
      expect(refusal(res)).toEqual({
        message: "Only the user and admins may see a user's addresses",
        code: 'FORBIDDEN',
      });
      expect(res.data._entities).toEqual([null]);
    }
  });
});

describe('userAddress: the internal read for the checkout', () => {
  const QUERY = `query CheckoutAddress($userId: ID!, $id: ID!) { userAddress(userId: $userId, id: $id) { ${FIELDS} } }`;
  /** The user service as the order service calls it: SubgraphClient with the internal secret. */
  let user: SubgraphClient;
  beforeAll(() => {
    user = new SubgraphClient({
      service: 'user',
      url: sg.subgraphUrls.user,
      internalAuthSecret: TEST_INTERNAL_SECRET,
    });
  });
  afterAll(() => user?.close());

  const read = (variables: { userId: string; id: string }, as?: Identity) =>
    user.request<{ userAddress: any }>(QUERY, variables, as ? { as } : {});
  const codeOf = (error: unknown) => (error as SubgraphResponseError).code;

  it("returns one of the user's addresses on their behalf, or null", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const address = await add(alice, cabin);
    const bobs = await add(bob, home);
    expect(await read({ userId: alice.id, id: address.id }, alice.identity)).toEqual({
      userAddress: address,
    });
    // Another user's address, or none at all: null.
    expect(await read({ userId: alice.id, id: bobs.id }, alice.identity)).toEqual({
      userAddress: null,
    });
    expect(await read({ userId: alice.id, id: randomUUID() }, alice.identity)).toEqual({
      userAddress: null,
    });
    const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
    expect((await read({ userId: alice.id, id: address.id }, admin)).userAddress.id).toBe(
      address.id,
    );
  });

  it('refuses a caller without a signed identity, or another user', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const address = await add(alice, cabin);
    const variables = { userId: alice.id, id: address.id };
    await expect(read(variables)).rejects.toSatisfy((e) => codeOf(e) === 'UNAUTHENTICATED');
    await expect(read(variables, bob.identity)).rejects.toSatisfy((e) => codeOf(e) === 'FORBIDDEN');
    // An identity header signed with another secret is no identity.
    const forged = await graphql<any>(sg.subgraphUrls.user, QUERY, variables, {
      [IDENTITY_HEADER]: signIdentity(alice.identity, 'not-the-internal-secret-0123456789abcdef'),
    });
    expect(refusal(forged).code).toBe('UNAUTHENTICATED');
  });

  it('is not part of the public API: the gateway refuses it', async () => {
    const alice = await newUser();
    const address = await add(alice, cabin);
    const res = await alice.call(QUERY, { userId: alice.id, id: address.id });
    expect(res.data ?? null).toBeNull();
    expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(res.errors![0]!.message).toMatch(/Cannot query field "userAddress" on type "Query"/);
    const schema = await alice.call('{ __schema { queryType { fields { name } } } }');
    const names = schema.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('me');
    expect(names).not.toContain('userAddress');
  });
});
