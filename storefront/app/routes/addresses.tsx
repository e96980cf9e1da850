import { useState } from 'react';
import { Link } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { AddressBlock } from '../components/address-block.tsx';
import { AddressForm } from '../components/address-form.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Loading } from '../components/loading.tsx';
import type { AddressFieldsFragment } from '../graphql/generated.ts';
import { useAddressBook, useAddressChanges } from '../hooks/use-address-book.ts';
import { addressSummary } from '../lib/address.ts';
import { describeError, type ShopError } from '../lib/errors.ts';

export const meta = () => [{ title: 'Your addresses — Tackle Shop' }];

/** The API's limit on an address book. */
const MAX_ADDRESSES = 20;

function AddressCard({
  address,
  onEdit,
  onDone,
}: {
  address: AddressFieldsFragment;
  onEdit: () => void;
  onDone: (message: string) => void;
}) {
  const { remove, setDefault } = useAddressChanges();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShopError | null>(null);
  const summary = addressSummary(address);
  const run = (action: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    action()
      .then(
        () => onDone(message),
        (err: unknown) => setError(describeError(err)),
      )
      .finally(() => setBusy(false));
  };
  return (
    <li className="address-card" data-testid="address-card">
      <AddressBlock address={address} />
      {address.isDefault && (
        <p className="default-badge" data-testid="default-address">
          Default address
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button-secondary"
          aria-label={`Edit: ${summary}`}
          onClick={onEdit}
        >
          Edit
        </button>
        {!address.isDefault && (
          <button
            type="button"
            className="button-secondary"
            aria-label={`Make default: ${summary}`}
            disabled={busy}
            onClick={() =>
              run(
                () => setDefault({ variables: { id: address.id } }),
                'Your default address changed.',
              )
            }
          >
            Make default
          </button>
        )}
        <button
          type="button"
          className="button-danger"
          aria-label={`Remove: ${summary}`}
          disabled={busy}
          onClick={() =>
            run(() => remove({ variables: { id: address.id } }), 'The address was removed.')
          }
        >
          Remove
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
    </li>
  );
}

function AddressBook() {
  const { book, addresses } = useAddressBook();
  const { add, update } = useAddressChanges();
  // Which form is open: a new address, or one address being edited.
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [status, setStatus] = useState('');
  if (book.error && !addresses)
    return <ErrorNotice error={describeError(book.error)} onRetry={() => void book.refetch()} />;
  if (!addresses) return <Loading what="Loading your addresses…" />;
  const done = (message: string) => {
    setEditing(null);
    setStatus(message);
  };
  const adding = editing === 'new' || addresses.length === 0;
  return (
    <>
      <p aria-live="polite" className="ok" data-testid="address-status">
        {status}
      </p>
      {addresses.length > 0 && (
        <ul className="address-list" aria-label="Your addresses">
          {addresses.map((address) =>
            editing === address.id ? (
              <li key={address.id} className="address-card">
                <AddressForm
                  label="Edit the address"
                  initial={address}
                  submitLabel="Save address"
                  onCancel={() => setEditing(null)}
                  onSave={async (input) => {
                    await update({ variables: { id: address.id, input } });
                    done('The address was saved.');
                  }}
                />
              </li>
            ) : (
              <AddressCard
                key={address.id}
                address={address}
                onEdit={() => {
                  setStatus('');
                  setEditing(address.id);
                }}
                onDone={done}
              />
            ),
          )}
        </ul>
      )}
      {adding ? (
        <AddressForm
          label={addresses.length === 0 ? 'Add your first address' : 'Add an address'}
          headingLevel={2}
          submitLabel="Add address"
          {...(addresses.length > 0 ? { onCancel: () => setEditing(null) } : {})}
          onSave={async (input) => {
            await add({ variables: { input } });
            done('The address was added.');
          }}
        />
      ) : addresses.length < MAX_ADDRESSES ? (
        <p>
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setStatus('');
              setEditing('new');
            }}
          >
            Add an address
          </button>
        </p>
      ) : (
        <p className="muted">
          Your address book is full ({MAX_ADDRESSES} addresses): remove one to add another.
        </p>
      )}
    </>
  );
}

export default function AddressesRoute() {
  return (
    <section aria-labelledby="addresses-title">
      <h1 id="addresses-title">Your addresses</h1>
      <p>
        <Link to="/account">← Your account</Link>
      </p>
      <RequireSession>{() => <AddressBook />}</RequireSession>
    </section>
  );
}
