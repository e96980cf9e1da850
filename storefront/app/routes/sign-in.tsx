import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import type { ShopError } from '../lib/errors.ts';
import { describeError } from '../lib/errors.ts';
import { safeNextPath } from '../lib/safe-next.ts';
import { useHydrated } from '../lib/use-hydrated.ts';

export const meta = () => [{ title: 'Sign in — Tackle Shop' }];

const REASONS: Record<string, string> = {
  ended: 'Your session has ended. Please sign in again.',
  required: 'Please sign in to see that page.',
  cart: 'Sign in to add products to your cart.',
};

export default function SignIn() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const reason = REASONS[params.get('reason') ?? ''];
  const [error, setError] = useState<ShopError | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  return (
    <section className="form" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {reason && (
        <p className="notice notice-info" role="status" data-testid="sign-in-reason">
          {reason}
        </p>
      )}
      <form
        method="post"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setError(null);
          setPending(true);
          session
            .signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''))
            .then(
              () => navigate(next, { replace: true }),
              (err: unknown) => setError(describeError(err)),
            )
            .finally(() => setPending(false));
        }}
      >
        <Field label="E-mail address" name="email" type="email" autoComplete="username" required />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        {error && <ErrorNotice error={error} />}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={!hydrated || pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
          <span>
            New here?{' '}
            <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
          </span>
        </div>
      </form>
    </section>
  );
}
