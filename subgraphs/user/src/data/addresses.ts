import DataLoader from 'dataloader';
import type { NormalizedAddress } from '@shop/addresses';
import { Prisma, type PrismaClient } from '@shop/prisma/user';
import type { AddressRecord, AddressStore } from '../domain/addresses.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Default first, then the most recently updated (created, then id, break ties). */
const BOOK_ORDER = [
  { isDefault: 'desc' as const },
  { updatedAt: 'desc' as const },
  { createdAt: 'desc' as const },
  { id: 'desc' as const },
];

/**
 * Holds the user's row until the transaction ends: the address book's changes of one user
 * (add, remove, default switch) run one after the other, so the count and the default they
 * read are what is really there. NO KEY UPDATE does not block the foreign-key checks of
 * inserted addresses (KEY SHARE). False when the user has no account.
 */
async function lockUser(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
  return rows.length > 0;
}

const isNotFound = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';

/**
 * Address books in PostgreSQL. The partial unique index addresses_one_default_per_user (one
 * row WHERE is_default per user) backs the one-default rule: a switch clears the old default
 * before it sets the new one, in one transaction.
 */
export class PrismaAddressStore implements AddressStore {
  constructor(private readonly prisma: PrismaClient) {}

  async listsOf(userIds: readonly string[]): Promise<AddressRecord[][]> {
    const rows = await this.prisma.address.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: BOOK_ORDER,
    });
    const byUser = new Map<string, AddressRecord[]>(userIds.map((id) => [id, []]));
    for (const row of rows) byUser.get(row.userId)?.push(row);
    return userIds.map((id) => byUser.get(id)!);
  }

  findOf(userId: string, id: string): Promise<AddressRecord | null> {
    return this.prisma.address.findFirst({ where: { id, userId } });
  }

  add(
    userId: string,
    address: NormalizedAddress,
    place: (count: number) => { isDefault: boolean },
  ): Promise<AddressRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockUser(tx, userId))) return null;
      const { isDefault } = place(await tx.address.count({ where: { userId } }));
      const now = new Date();
      return tx.address.create({
        data: { ...address, userId, isDefault, createdAt: now, updatedAt: now },
      });
    });
  }

  async update(
    userId: string,
    id: string,
    address: NormalizedAddress,
  ): Promise<AddressRecord | null> {
    try {
      // The user id in the condition: another user's address is not found, not changed.
      return await this.prisma.address.update({
        where: { id, userId },
        data: { ...address, updatedAt: new Date() },
      });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  remove(
    userId: string,
    id: string,
    successor: (remaining: AddressRecord[]) => AddressRecord | undefined,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await lockUser(tx, userId);
      const removed = await tx.address.deleteMany({ where: { id, userId } });
      if (removed.count === 0) return false;
      // The book had a default before and must keep one: if none is left, this was it.
      if (
        !(await tx.address.findFirst({ where: { userId, isDefault: true }, select: { id: true } }))
      ) {
        const next = successor(await tx.address.findMany({ where: { userId } }));
        if (next) await tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
      }
      return true;
    });
  }

  setDefault(userId: string, id: string): Promise<AddressRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      await lockUser(tx, userId);
      const target = await tx.address.findFirst({ where: { id, userId } });
      if (!target) return null;
      if (target.isDefault) return target;
      // Old default off first: the unique index allows one default per user at every moment.
      await tx.address.updateMany({
        where: { userId, isDefault: true },
        data: { isDefault: false },
      });
      return tx.address.update({ where: { id }, data: { isDefault: true } });
    });
  }
}

/** Per request: address books by user id, all users of one tick in one query. */
export function createAddressLoader(store: AddressStore): DataLoader<string, AddressRecord[]> {
  return new DataLoader<string, AddressRecord[]>((userIds) => store.listsOf(userIds));
}
