import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { preloadLive } from '../apollo/browser-client.ts';
import { RequireSession } from '../auth/require-session.tsx';
import { EmptyCart } from '../components/empty-cart.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Money } from '../components/money.tsx';
import { CartPageDocument, PlaceOrderDocument } from '../graphql/generated.ts';
import {
  attemptKey,
  cartFingerprint,
  finishAttempt,
  newIdempotencyKey,
} from '../lib/checkout-attempt.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Checkout — Tackle Shop' }];

/** Automatic retries of one attempt on network errors (then the shopper decides). */
const NETWORK_RETRIES = 3;

function Checkout() {
  const navigate = useNavigate();
  const {
    data,
    error: loadError,
    refetch,
  } = useQuery(CartPageDocument, { fetchPolicy: 'network-only' });
  const [placeOrder] = useMutation(PlaceOrderDocument);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ShopError | null>(null);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The tracking page comes next: its live-update code loads while the shopper reviews.
  useEffect(preloadLive, []);

  const cart = data?.cart;
  const fingerprint = cart
    ? cartFingerprint(
        cart.items.map((line) => ({ productId: line.product.id, quantity: line.quantity })),
      )
    : '';

  const place = (attempt = 0): void => {
    if (!cart || cart.items.length === 0) return;
    const key = attemptKey(sessionStorage, fingerprint, () => newIdempotencyKey());
    setPending(true);
    setError(null);
    setWaitSeconds(0);
    placeOrder({ variables: { idempotencyKey: key } }).then(
      (result) => {
        const order = result.data?.placeOrder;
        if (!order) throw new Error('no order in the answer');
        finishAttempt(sessionStorage);
        navigate(`/orders/${order.id}`, { replace: true });
      },
      (err: unknown) => {
        const shopError = describeError(err);
        setError(shopError);
        // Busy or unreachable: the same key again, after the wait the store asks for.
        if (shopError.code === 'RATE_LIMITED') {
          const seconds = shopError.retryAfter ?? 2;
          setWaitSeconds(seconds);
          timer.current = setTimeout(() => place(attempt + 1), seconds * 1000);
          return;
        }
        if (shopError.code === 'NETWORK' && attempt < NETWORK_RETRIES) {
          timer.current = setTimeout(() => place(attempt + 1), 1000 * 2 ** attempt);
          return;
        }
        setPending(false);
      },
    );
  };

  if (loadError && !cart)
    return <ErrorNotice error={describeError(loadError)} onRetry={() => void refetch()} />;
  if (!cart) return <Loading what="Loading your cart…" />;
  if (cart.items.length === 0) return <EmptyCart />;
  return (
    <div className="page">
      <ul className="lines" aria-label="Order lines">
        {cart.items.map((line) => (
          <li key={line.product.id} className="line">
            <div className="line-info">
              <h3>{line.product.name}</h3>
              <p className="muted">
                {line.quantity} × <Money value={line.product.price} />
              </p>
            </div>
            <Money value={line.lineTotal} className="price" />
          </li>
        ))}
      </ul>
      <dl className="totals">
        <dt>Total</dt>
        <dd data-testid="checkout-total">
          <Money value={cart.subtotal} />
        </dd>
      </dl>
      {error && error.code === 'RATE_LIMITED' && pending && (
        <p className="notice notice-info" role="status" data-testid="checkout-busy">
          The store is busy. Trying again in {waitSeconds} second{waitSeconds === 1 ? '' : 's'} with
          the same order, so it is placed once.
        </p>
      )}
      {error && error.code === 'NETWORK' && pending && (
        <p className="notice notice-info" role="status">
          The store could not be reached. Trying again with the same order…
        </p>
      )}
      {error && !pending && (
        <>
          <ErrorNotice error={error} />
          {(error.code === 'OUT_OF_STOCK' || error.code === 'NOT_FOUND') && (
            <p>
              <Link to="/cart">Change your cart</Link>
            </p>
          )}
        </>
      )}
      <div className="form-actions">
        <Link to="/cart" className="button-secondary">
          Back to cart
        </Link>
        <button type="button" className="button-primary" disabled={pending} onClick={() => place()}>
          {pending ? 'Placing your order…' : error && !pending ? 'Try again' : 'Place order'}
        </button>
      </div>
    </div>
  );
}

export default function CheckoutRoute() {
  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <RequireSession>{() => <Checkout />}</RequireSession>
    </section>
  );
}
