import type DataLoader from 'dataloader';
import type { PrismaClient } from '@shop/prisma/user';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { Accounts } from './domain/accounts.ts';
import type { AddressBook, AddressRecord } from './domain/addresses.ts';
import type { UserRecord } from './domain/ports.ts';

export interface UserContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  accounts: Accounts;
  users: DataLoader<string, UserRecord | null>;
  addressBook: AddressBook;
  /** Per request: address books by user id (User.addresses), batched. */
  addresses: DataLoader<string, AddressRecord[]>;
  /** The client's address as the gateway saw it (signed header), null when not forwarded. */
  clientAddress: string | null;
}
