import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { describeError, type ShopError } from '../lib/errors.ts';
import { safeNextPath } from '../lib/safe-next.ts';
import { useHydrated } from '../lib/use-hydrated.ts';

export const meta = () => [{ title: 'Create an account — Tackle Shop' }];

export default function Register() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [error, setError] = useState<ShopError | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  return (
    <section className="form" aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      <form
        method="post"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setError(null);
          setPending(true);
          session
            .register({
              name: String(form.get('name') ?? ''),
              email: String(form.get('email') ?? ''),
              password: String(form.get('password') ?? ''),
            })
            .then(
              () => navigate(next, { replace: true }),
              (err: unknown) => setError(describeError(err)),
            )
            .finally(() => setPending(false));
        }}
      >
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          error={fieldError('name')}
        />
        <Field
          label="E-mail address"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={fieldError('email')}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters."
          error={fieldError('password')}
        />
        {error && !error.field && <ErrorNotice error={error} />}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={!hydrated || pending}>
            {pending ? 'Creating your account…' : 'Create account'}
          </button>
          <span>
            Have an account? <Link to={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </span>
        </div>
      </form>
    </section>
  );
}
