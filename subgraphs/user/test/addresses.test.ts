import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  AddressBook,
  MAX_ADDRESSES,
  nextDefault,
  parseAddressInput,
  placeNewAddress,
  type AddressRecord,
  type AddressStore,
} from '../src/domain/addresses.ts';

const input = {
  recipient: 'Izaak Walton',
  phone: '+44 20 7946 0958',
  line1: '1 Fleet Street',
  city: 'London',
  postalCode: 'ec4y1aa',
  country: 'gb',
};

const record = (id: string, updatedAt: number, createdAt = 0): AddressRecord => ({
  id,
  userId: 'u',
  recipient: 'R',
  phone: '123456',
  line1: 'L',
  line2: null,
  city: 'C',
  region: null,
  postalCode: '10115',
  country: 'DE',
  isDefault: false,
  createdAt: new Date(createdAt),
  updatedAt: new Date(updatedAt),
});

async function refusal(work: () => unknown): Promise<DomainError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('address book rules', () => {
  it('makes the first address the default and the others not', () => {
    expect(placeNewAddress(0)).toEqual({ isDefault: true });
    expect(placeNewAddress(1)).toEqual({ isDefault: false });
    expect(placeNewAddress(MAX_ADDRESSES - 1)).toEqual({ isDefault: false });
  });

  it(`refuses an address beyond ${MAX_ADDRESSES}`, async () => {
    const error = await refusal(() => placeNewAddress(MAX_ADDRESSES));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(
      'An address book holds at most 20 addresses; remove one to add another',
    );
    expect(error.details).toEqual({ limit: 20 });
  });

  it('promotes the most recently updated remaining address (then created, then id)', () => {
    expect(nextDefault([])).toBeUndefined();
    expect(nextDefault([record('a', 1), record('b', 3), record('c', 2)])?.id).toBe('b');
    expect(nextDefault([record('a', 5, 1), record('b', 5, 2)])?.id).toBe('b');
    expect(nextDefault([record('b', 5, 2), record('a', 5, 2)])?.id).toBe('b');
  });

  it('normalizes valid input and refuses the first bad field, naming it', async () => {
    expect(parseAddressInput(input)).toMatchObject({ postalCode: 'EC4Y 1AA', country: 'GB' });
    const error = await refusal(() => parseAddressInput({ ...input, phone: 'x', city: '' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field: 'phone' });
    expect(error.message).toContain('phone');
    const country = await refusal(() => parseAddressInput({ ...input, country: 'zz' }));
    expect(country.details).toEqual({ field: 'country' });
    expect(country.message).toMatch(/^We do not ship to ZZ/);
  });
});

describe('AddressBook', () => {
  /** A store that has nothing: every lookup misses. */
  const empty: AddressStore = {
    listsOf: async (ids) => ids.map(() => []),
    findOf: async () => null,
    add: async () => null,
    update: async () => null,
    remove: async () => false,
    setDefault: async () => null,
  };
  const book = new AddressBook(empty);

  it('says NOT_FOUND for an address the user does not have, naming the id', async () => {
    for (const work of [
      () => book.update('u', 'a', input),
      () => book.remove('u', 'a'),
      () => book.setDefault('u', 'a'),
    ]) {
      const error = await refusal(work);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.details).toEqual({ field: 'id' });
    }
    await expect(book.find('u', 'a')).resolves.toBeNull();
  });

  it('checks the input before the store is asked', async () => {
    let asked = false;
    const watching = new AddressBook({ ...empty, update: async () => ((asked = true), null) });
    const error = await refusal(() => watching.update('u', 'a', { ...input, line1: '' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(asked).toBe(false);
  });

  it('hands the store the normalized address and the placement rule', async () => {
    let seen: unknown;
    const store: AddressStore = {
      ...empty,
      add: async (userId, address, place) => {
        seen = { userId, address, first: place(0) };
        return { ...record('a', 0), ...address, userId, isDefault: true };
      },
    };
    await new AddressBook(store).add('u', input);
    expect(seen).toMatchObject({
      userId: 'u',
      address: { postalCode: 'EC4Y 1AA', country: 'GB', line2: null },
      first: { isDefault: true },
    });
  });
});
