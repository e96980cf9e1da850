import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Form, Link, NavLink, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { CartPageDocument } from '../graphql/generated.ts';

function CartLink() {
  const session = useSession();
  const { data } = useQuery(CartPageDocument, { skip: session.status !== 'signed-in' });
  const count = data?.cart.itemCount ?? 0;
  return (
    <NavLink to="/cart" className="nav-link">
      Cart
      {count > 0 && (
        <span className="badge" aria-label={`${count} item${count === 1 ? '' : 's'} in your cart`}>
          {count}
        </span>
      )}
    </NavLink>
  );
}

function AccountLinks() {
  const session = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  if (session.status === 'signed-in' && session.user) {
    const { user } = session;
    return (
      <>
        <NavLink to="/orders" className="nav-link">
          My orders
        </NavLink>
        {(user.role === 'SELLER' || user.role === 'ADMIN') && (
          <>
            <NavLink to="/seller" className="nav-link">
              Seller
            </NavLink>
            <NavLink to="/manage/orders" className="nav-link">
              Manage orders
            </NavLink>
          </>
        )}
        {user.role === 'ADMIN' && (
          <NavLink to="/admin/categories" className="nav-link">
            Admin
          </NavLink>
        )}
        <NavLink to="/account" className="nav-link" title={`Signed in as ${user.name}`}>
          {user.name}
        </NavLink>
        <button
          type="button"
          className="nav-link button-link"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            session
              .signOut()
              .catch(() => undefined)
              .finally(() => {
                setSigningOut(false);
                navigate('/');
              });
          }}
        >
          Sign out
        </button>
      </>
    );
  }
  if (session.status === 'checking') return <span className="nav-link muted">Account</span>;
  return (
    <>
      <NavLink to="/sign-in" className="nav-link">
        Sign in
      </NavLink>
      <NavLink to="/register" className="nav-link">
        Register
      </NavLink>
    </>
  );
}

export function SiteHeader() {
  const [params] = useSearchParams();
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <path d="M20 5v14a5 5 0 1 1-10 0v-2" />
          <circle cx="20" cy="5" r="2" />
        </svg>
        Tackle Shop
      </Link>
      <Form method="get" action="/search" role="search" className="search-form">
        <label htmlFor="site-search" className="visually-hidden">
          Search products
        </label>
        <input
          id="site-search"
          name="q"
          type="search"
          placeholder="Search rods, reels, lures…"
          defaultValue={params.get('q') ?? ''}
          maxLength={200}
          required
        />
        <button type="submit">Search</button>
      </Form>
      <nav aria-label="Main" className="site-nav">
        <NavLink to="/" end className="nav-link">
          Catalog
        </NavLink>
        <CartLink />
        <AccountLinks />
      </nav>
    </header>
  );
}
