import { validateAddress, type AddressInput, type NormalizedAddress } from '@shop/addresses';
import { DomainError } from '@shop/subgraph-kit';
import { invalidInput } from './errors.ts';

/**
 * The address book: each customer's postal addresses. Rules: at most MAX_ADDRESSES a user; the
 * first one added becomes the default; while the user has any address exactly one is the
 * default; removing the default promotes the most recently updated of the others. A user sees
 * and changes only their own: another user's address is "not found", never "not yours".
 */
export const MAX_ADDRESSES = 20;

/** One stored address as the use cases see it (the data layer maps its rows onto this). */
export interface AddressRecord extends Omit<NormalizedAddress, 'country'> {
  id: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  userId: string;
  isDefault: boolean;
  createdAt: Date;
  /** When the customer created or last edited it; default switches do not count. */
  updatedAt: Date;
}

/**
 * Storage of address books. Changes that depend on the rest of the book (adding, removing,
 * switching the default) run in one transaction that holds the user's row, so two of them for
 * one user run one after the other; the rule deciding is handed in and runs inside it.
 */
export interface AddressStore {
  /** The addresses of each user, default first, then the most recently updated. */
  listsOf(userIds: readonly string[]): Promise<AddressRecord[][]>;
  /** The user's address with this id; null for an unknown id or another user's. */
  findOf(userId: string, id: string): Promise<AddressRecord | null>;
  /**
   * Adds an address; `place` is told how many the user has and decides whether it becomes the
   * default (or throws, and nothing is written). Null when the user has no account.
   */
  add(
    userId: string,
    address: NormalizedAddress,
    place: (count: number) => { isDefault: boolean },
  ): Promise<AddressRecord | null>;
  /** Replaces the fields of the user's address; null when the user has no such address. */
  update(userId: string, id: string, address: NormalizedAddress): Promise<AddressRecord | null>;
  /**
   * Removes the user's address; when it was the default, `successor` picks the new default
   * among the remaining ones. False when the user has no such address.
   */
  remove(
    userId: string,
    id: string,
    successor: (remaining: AddressRecord[]) => AddressRecord | undefined,
  ): Promise<boolean>;
  /** Makes the user's address the default and the previous one not; null when none such. */
  setDefault(userId: string, id: string): Promise<AddressRecord | null>;
}

/** An address input checked and normalized, or the first problem as BAD_USER_INPUT. */
export function parseAddressInput(input: AddressInput): NormalizedAddress {
  const result = validateAddress(input);
  if (!result.ok) {
    const [first] = result.problems;
    throw invalidInput(first!.field, first!.message);
  }
  return result.address;
}

/** Where a new address goes in a book that holds `count`: refused when full, default if first. */
export function placeNewAddress(count: number): { isDefault: boolean } {
  if (count >= MAX_ADDRESSES)
    throw new DomainError(
      'BAD_USER_INPUT',
      `An address book holds at most ${MAX_ADDRESSES} addresses; remove one to add another`,
      { limit: MAX_ADDRESSES },
    );
  return { isDefault: count === 0 };
}

/** The default after the default was removed: the most recently updated remaining address. */
export function nextDefault(remaining: readonly AddressRecord[]): AddressRecord | undefined {
  let best: AddressRecord | undefined;
  for (const address of remaining) {
    if (
      !best ||
      address.updatedAt.getTime() > best.updatedAt.getTime() ||
      (address.updatedAt.getTime() === best.updatedAt.getTime() &&
        (address.createdAt.getTime() > best.createdAt.getTime() ||
          (address.createdAt.getTime() === best.createdAt.getTime() && address.id > best.id)))
    )
      best = address;
  }
  return best;
}

const addressNotFound = () =>
  new DomainError('NOT_FOUND', 'No such address in your address book', { field: 'id' });

/** The address-book use cases of one signed-in user (`userId` is always the caller's own). */
export class AddressBook {
  constructor(private readonly store: AddressStore) {}

  async add(userId: string, input: AddressInput): Promise<AddressRecord> {
    const address = parseAddressInput(input);
    const added = await this.store.add(userId, address, placeNewAddress);
    if (!added) throw new DomainError('NOT_FOUND', 'Account not found');
    return added;
  }

  async update(userId: string, id: string, input: AddressInput): Promise<AddressRecord> {
    const address = parseAddressInput(input);
    const updated = await this.store.update(userId, id, address);
    if (!updated) throw addressNotFound();
    return updated;
  }

  async remove(userId: string, id: string): Promise<true> {
    if (!(await this.store.remove(userId, id, nextDefault))) throw addressNotFound();
    return true;
  }

  async setDefault(userId: string, id: string): Promise<AddressRecord> {
    const address = await this.store.setDefault(userId, id);
    if (!address) throw addressNotFound();
    return address;
  }

  /** One address of a user, or null (for the checkout of another service). */
  find(userId: string, id: string): Promise<AddressRecord | null> {
    return this.store.findOf(userId, id);
  }
}
