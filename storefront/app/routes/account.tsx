import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { useSession } from '../auth/session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import {
  MeDocument,
  UpdateProfileDocument,
  type UpdateProfileInput,
} from '../graphql/generated.ts';
import { formatDate } from '../lib/dates.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Your account — Tackle Shop' }];

function ProfileForm() {
  const session = useSession();
  const { data, error: loadError, refetch } = useQuery(MeDocument);
  const [update, { loading }] = useMutation(UpdateProfileDocument);
  const [error, setError] = useState<ShopError | null>(null);
  const [saved, setSaved] = useState(false);
  if (loadError)
    return <ErrorNotice error={describeError(loadError)} onRetry={() => void refetch()} />;
  const me = data?.me;
  if (!me) return <Loading what="Loading your profile…" />;
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  return (
    <form
      className="form"
      key={me.id}
      onSubmit={(event) => {
        event.preventDefault();
        const element = event.currentTarget;
        const form = new FormData(element);
        const input: UpdateProfileInput = {};
        const name = String(form.get('name') ?? '').trim();
        const email = String(form.get('email') ?? '').trim();
        const newPassword = String(form.get('newPassword') ?? '');
        const currentPassword = String(form.get('currentPassword') ?? '');
        if (name !== me.name) input.name = name;
        if (email !== (me.email ?? '')) input.email = email;
        if (newPassword) input.newPassword = newPassword;
        if (currentPassword) input.currentPassword = currentPassword;
        setError(null);
        setSaved(false);
        update({ variables: { input } }).then(
          (result) => {
            const user = result.data?.updateProfile;
            if (user) session.updateUser(user);
            setSaved(true);
            for (const name of ['newPassword', 'currentPassword']) {
              const field = element.elements.namedItem(name);
              if (field instanceof HTMLInputElement) field.value = '';
            }
          },
          (err: unknown) => setError(describeError(err)),
        );
      }}
    >
      <p className="muted">Member since {formatDate(me.createdAt)}</p>
      <Field
        label="Name"
        name="name"
        defaultValue={me.name}
        autoComplete="name"
        required
        error={fieldError('name')}
      />
      <Field
        label="E-mail address"
        name="email"
        type="email"
        defaultValue={me.email ?? ''}
        autoComplete="email"
        required
        error={fieldError('email')}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={10}
        hint="Leave empty to keep your password."
        error={fieldError('newPassword')}
      />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        hint="Needed to change your e-mail address or password."
        error={fieldError('currentPassword')}
      />
      {error && !error.field && <ErrorNotice error={error} />}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={loading}>
          {loading ? 'Saving…' : 'Save changes'}
        </button>
        <span aria-live="polite">{saved && <span className="ok">Saved.</span>}</span>
      </div>
    </form>
  );
}

export default function Account() {
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p>
        <Link to="/account/addresses">Your addresses</Link>: where your orders can go.
      </p>
      <RequireSession>{() => <ProfileForm />}</RequireSession>
    </section>
  );
}
