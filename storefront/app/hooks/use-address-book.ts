import { useMutation, useQuery } from '@apollo/client/react';
import {
  AddAddressDocument,
  AddressBookDocument,
  RemoveAddressDocument,
  SetDefaultAddressDocument,
  UpdateAddressDocument,
} from '../graphql/generated.ts';

/** The signed-in shopper's address book, the default address first. */
export function useAddressBook() {
  const book = useQuery(AddressBookDocument, { fetchPolicy: 'cache-and-network' });
  return { book, addresses: book.data?.me?.addresses };
}

const READ_AGAIN = {
  refetchQueries: [{ query: AddressBookDocument }],
  awaitRefetchQueries: true,
};

/**
 * Changes to the address book. Addresses are not normalized in the cache (a cart and an order
 * hold copies with the same ids), and which address is the default after a change is the
 * server's decision: every change reads the book again before it resolves.
 */
export function useAddressChanges() {
  const [add] = useMutation(AddAddressDocument, READ_AGAIN);
  const [update] = useMutation(UpdateAddressDocument, READ_AGAIN);
  const [remove] = useMutation(RemoveAddressDocument, READ_AGAIN);
  const [setDefault] = useMutation(SetDefaultAddressDocument, READ_AGAIN);
  return { add, update, remove, setDefault };
}
