import { useMutation } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { SetCartShippingAddressDocument } from '../../graphql/generated.ts';
import { useAddressBook, useAddressChanges } from '../../hooks/use-address-book.ts';
import { addressSummary } from '../../lib/address.ts';
import { addressToChoose, checkoutMessage } from '../../lib/checkout.ts';
import { describeError } from '../../lib/errors.ts';
import { AddressBlock } from '../address-block.tsx';
import { AddressForm } from '../address-form.tsx';
import { ErrorNotice } from '../error-notice.tsx';
import { Loading } from '../loading.tsx';
import { stepElementId, type StepProps } from './types.ts';

/**
 * Where the order goes: one of the address book's addresses, or a new one added here. The cart
 * keeps a copy of the chosen address; when the page opens without one, the default is chosen.
 */
export function AddressStep({ cart, error, setError, track }: StepProps) {
  const { book, addresses } = useAddressBook();
  const { add } = useAddressChanges();
  const [setAddress, setting] = useMutation(SetCartShippingAddressDocument);
  const [adding, setAdding] = useState(false);
  // The address being chosen shows as chosen while the cart takes it.
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = cart.shippingAddress;
  const chosenId = picked ?? chosen?.id;

  const choose = (addressId: string) => {
    setError(null);
    setPicked(addressId);
    return track(setAddress({ variables: { addressId } }))
      .catch((err: unknown) => {
        setError(describeError(err));
      })
      .finally(() => setPicked(null));
  };

  // Once per page: the default address when the cart has none, or the new version of an
  // address edited since the cart took its copy.
  const decided = useRef(false);
  useEffect(() => {
    if (decided.current || !addresses || book.loading) return;
    decided.current = true;
    const id = addressToChoose(chosen, addresses);
    if (id) void choose(id);
  }, [addresses, book.loading]);

  const errorId = `${stepElementId('address')}-error`;
  const inBook = chosen && addresses?.some((a) => a.id === chosen.id);
  const showForm = adding || addresses?.length === 0;
  return (
    <fieldset
      className="step"
      id={stepElementId('address')}
      tabIndex={-1}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        <h2>Shipping address</h2>
      </legend>
      {book.error && !addresses && (
        <ErrorNotice error={describeError(book.error)} onRetry={() => void book.refetch()} />
      )}
      {!addresses && !book.error && <Loading what="Loading your addresses…" />}
      {chosen && addresses && !inBook && (
        <div className="notice notice-info">
          <p>Ships to this address, no longer in your address book:</p>
          <AddressBlock address={chosen} />
        </div>
      )}
      {addresses && addresses.length > 0 && (
        <ul className="choices" aria-label="Your addresses">
          {addresses.map((address) => (
            <li key={address.id}>
              <label className="choice">
                <input
                  type="radio"
                  name="shipping-address"
                  value={address.id}
                  checked={chosenId === address.id}
                  disabled={setting.loading}
                  onChange={() => void choose(address.id)}
                />
                <span>
                  {addressSummary(address)}
                  {address.isDefault && <span className="muted"> (default)</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert" data-code={error.code}>
          {checkoutMessage(error)}
        </p>
      )}
      {showForm ? (
        <AddressForm
          label={addresses?.length === 0 ? 'Where should we ship it?' : 'New address'}
          submitLabel="Ship to this address"
          {...(addresses?.length ? { onCancel: () => setAdding(false) } : {})}
          onSave={async (input) => {
            const result = await add({ variables: { input } });
            const id = result.data?.addAddress.id;
            setAdding(false);
            if (id) await choose(id);
          }}
        />
      ) : (
        addresses && (
          <p className="step-actions">
            <button type="button" className="button-secondary" onClick={() => setAdding(true)}>
              Add a new address
            </button>{' '}
            <Link to="/account/addresses">Manage your addresses</Link>
          </p>
        )
      )}
    </fieldset>
  );
}
