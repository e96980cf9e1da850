import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { preloadLive } from '../apollo/browser-client.ts';
import { RequireSession } from '../auth/require-session.tsx';
import { AddressStep } from '../components/checkout/address-step.tsx';
import { DiscountStep } from '../components/checkout/discount-step.tsx';
import { ShippingStep } from '../components/checkout/shipping-step.tsx';
import { stepElementId } from '../components/checkout/types.ts';
import { EmptyCart } from '../components/empty-cart.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Loading } from '../components/loading.tsx';
import { OrderLines } from '../components/order-lines.tsx';
import { TotalsBreakdown } from '../components/totals-breakdown.tsx';
import { CartCheckoutPageDocument, PlaceOrderDocument } from '../graphql/generated.ts';
import {
  attemptKey,
  cartFingerprint,
  finishAttempt,
  newIdempotencyKey,
} from '../lib/checkout-attempt.ts';
import { controlOf, MISSING_CHOICE, type CheckoutControl } from '../lib/checkout.ts';
import { describeError, type ShopError } from '../lib/errors.ts';

export const meta = () => [{ title: 'Checkout — Tackle Shop' }];

/** Automatic retries of one attempt on network errors (then the shopper decides). */
const NETWORK_RETRIES = 3;

type StepErrors = Partial<Record<Exclude<CheckoutControl, 'other'>, ShopError>>;

function Checkout() {
  const navigate = useNavigate();
  const {
    data,
    error: loadError,
    refetch,
  } = useQuery(CartCheckoutPageDocument, { fetchPolicy: 'network-only' });
  const [placeOrder] = useMutation(PlaceOrderDocument);
  const [pending, setPending] = useState(false);
  // placeOrder's errors about no control in particular (stock, busy, network).
  const [error, setError] = useState<ShopError | null>(null);
  // Errors next to the address, method and code controls: their own, or placeOrder's.
  const [stepErrors, setStepErrors] = useState<StepErrors>({});
  const [changing, setChanging] = useState(0);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The tracking page comes next: its live-update code loads while the shopper reviews.
  useEffect(preloadLive, []);

  const track = useCallback(<T,>(change: Promise<T>): Promise<T> => {
    setChanging((n) => n + 1);
    return change.finally(() => setChanging((n) => n - 1));
  }, []);
  const stepError = (step: keyof StepErrors) => ({
    error: stepErrors[step] ?? null,
    setError: (next: ShopError | null) => {
      setError(null);
      setStepErrors((current) => ({ ...current, [step]: next ?? undefined }));
    },
    track,
  });
  const showAt = (step: keyof StepErrors, shopError: ShopError) => {
    setStepErrors((current) => ({ ...current, [step]: shopError }));
    // After the render that shows it: the shopper lands on the control to change.
    setTimeout(() => document.getElementById(stepElementId(step))?.focus(), 0);
  };

  const cart = data?.cart;
  // The attempt is the cart's lines: choosing another address, method or code keeps the key
  // (placeOrder keeps a key only for an order it placed, so a refused attempt can be retried).
  const fingerprint = cart
    ? cartFingerprint(
        cart.items.map((line) => ({ productId: line.product.id, quantity: line.quantity })),
      )
    : '';

  const place = (attempt = 0): void => {
    if (!cart || cart.items.length === 0) return;
    if (attempt === 0) {
      // What the page knows is missing is said without asking the API.
      if (!cart.shippingAddress)
        return showAt('address', { code: 'BAD_USER_INPUT', message: MISSING_CHOICE.address });
      if (!cart.shippingMethod)
        return showAt('method', { code: 'BAD_USER_INPUT', message: MISSING_CHOICE.method });
      if (cart.discountCode && cart.discountProblem)
        return showAt('code', {
          code: 'BAD_USER_INPUT',
          message: `${cart.discountProblem} Remove the code to order without it.`,
        });
    }
    const key = attemptKey(sessionStorage, fingerprint, () => newIdempotencyKey());
    setPending(true);
    setError(null);
    setStepErrors({});
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
        // Busy or unreachable: the same key again, after the wait the store asks for.
        if (shopError.code === 'RATE_LIMITED') {
          setError(shopError);
          const seconds = shopError.retryAfter ?? 2;
          setWaitSeconds(seconds);
          timer.current = setTimeout(() => place(attempt + 1), seconds * 1000);
          return;
        }
        if (shopError.code === 'NETWORK' && attempt < NETWORK_RETRIES) {
          setError(shopError);
          timer.current = setTimeout(() => place(attempt + 1), 1000 * 2 ** attempt);
          return;
        }
        setPending(false);
        const control = controlOf(shopError);
        if (control === 'other') setError(shopError);
        else {
          showAt(control, shopError);
          // The cart changed under the page (a method dropped, a code used up): show it as is.
          void refetch();
        }
      },
    );
  };

  if (loadError && !cart)
    return <ErrorNotice error={describeError(loadError)} onRetry={() => void refetch()} />;
  if (!cart) return <Loading what="Loading your cart…" />;
  if (cart.items.length === 0) return <EmptyCart />;
  const hasAddress = cart.shippingAddress !== null;
  return (
    <div className="checkout">
      <div className="checkout-steps">
        <AddressStep cart={cart} {...stepError('address')} />
        <ShippingStep cart={cart} {...stepError('method')} />
        <DiscountStep cart={cart} {...stepError('code')} />
      </div>
      <section className="page checkout-summary" aria-labelledby="summary-title">
        <h2 id="summary-title">Your order</h2>
        <OrderLines
          label="Order lines"
          testId="checkout-line"
          showTax={hasAddress}
          lines={cart.items.map((line) => ({
            key: line.product.id,
            name: line.product.name,
            quantity: line.quantity,
            unitPrice: line.product.price,
            lineTotal: line.lineTotal,
            discount: line.discount,
            tax: line.tax,
          }))}
        />
        <TotalsBreakdown
          totals={cart.totals}
          discountCode={cart.discountProblem ? null : cart.discountCode}
          hasAddress={hasAddress}
          hasMethod={cart.shippingMethod !== null}
          testIdPrefix="checkout"
        />
        {error && error.code === 'RATE_LIMITED' && pending && (
          <p className="notice notice-info" role="status" data-testid="checkout-busy">
            The store is busy. Trying again in {waitSeconds} second{waitSeconds === 1 ? '' : 's'}{' '}
            with the same order, so it is placed once.
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
          <button
            type="button"
            className="button-primary"
            disabled={pending || changing > 0}
            onClick={() => place()}
          >
            {pending ? 'Placing your order…' : error && !pending ? 'Try again' : 'Place order'}
          </button>
        </div>
      </section>
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
