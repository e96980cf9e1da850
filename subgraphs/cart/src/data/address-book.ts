/**
 * The user service's address book: its internal `userAddress`, asked on the customer's behalf
 * (signed with the internal secret) for the customer's own address.
 */
import type { Identity } from '@shop/auth';
import type { SubgraphClient } from '@shop/subgraph-client';
import type { AddressBook } from '../domain/checkout-choices.ts';
import type { ShippingAddress } from '../domain/checkout.ts';
import { passingOnRefusals } from './peer-refusals.ts';

const ADDRESS = `query CartShippingAddress($userId: ID!, $id: ID!) {
  userAddress(userId: $userId, id: $id) {
    id recipient phone line1 line2 city region postalCode country isDefault
  }
}`;

export function userAddressBook(user: SubgraphClient): AddressBook {
  return {
    async address(as: Identity, addressId: string): Promise<ShippingAddress | null> {
      const data = await passingOnRefusals(() =>
        user.request<{ userAddress: ShippingAddress | null }>(
          ADDRESS,
          { userId: as.userId, id: addressId },
          { as },
        ),
      );
      return data.userAddress;
    },
  };
}
