import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { EmptyCart } from '../components/empty-cart.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Money } from '../components/money.tsx';
import { ProductImage } from '../components/product-image.tsx';
import { TotalsBreakdown } from '../components/totals-breakdown.tsx';
import {
  CartCheckoutPageDocument,
  ClearCartDocument,
  RemoveFromCartDocument,
  UpdateCartItemDocument,
  type CartCheckoutFragment,
} from '../graphql/generated.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Your cart — Tackle Shop' }];

type Line = CartCheckoutFragment['items'][number];
const MAX_LINE_QUANTITY = 99;

function CartLine({ line }: { line: Line }) {
  const [update, updating] = useMutation(UpdateCartItemDocument);
  const [remove, removing] = useMutation(RemoveFromCartDocument);
  const [error, setError] = useState<ShopError | null>(null);
  const [quantity, setQuantity] = useState(String(line.quantity));
  const { product } = line;
  const inputId = `qty-${product.id}`;
  const errorId = `err-${product.id}`;
  const apply = (next: number) => {
    setError(null);
    update({ variables: { productId: product.id, quantity: next } }).catch((err: unknown) => {
      setError(describeError(err));
      setQuantity(String(line.quantity));
    });
  };
  return (
    <li className="line" data-testid="cart-line" data-product-id={product.id}>
      <ProductImage src={product.images[0]} alt="" size="line" />
      <div className="line-info">
        <h3>
          <Link to={`/products/${product.id}`}>{product.name}</Link>
        </h3>
        <p className="muted">
          <Money value={product.price} /> each
          {product.deletedAt && ' · no longer sold'}
          {!product.deletedAt &&
            product.stock < line.quantity &&
            ` · only ${product.stock} in stock`}
        </p>
      </div>
      <form
        className="line-actions"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const next = Number(quantity);
          if (!Number.isInteger(next) || next < 1 || next > MAX_LINE_QUANTITY) {
            setError({
              code: 'BAD_USER_INPUT',
              message: `Enter a quantity from 1 to ${MAX_LINE_QUANTITY}.`,
            });
            return;
          }
          if (next !== line.quantity) apply(next);
        }}
      >
        <div className="field">
          <label htmlFor={inputId}>Quantity</label>
          <input
            id={inputId}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_LINE_QUANTITY}
            value={quantity}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => setQuantity(event.target.value)}
          />
        </div>
        <button type="submit" className="button-secondary" disabled={updating.loading}>
          {updating.loading ? 'Updating…' : 'Update'}
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={removing.loading}
          aria-label={`Remove: ${product.name}`}
          onClick={() => {
            setError(null);
            remove({ variables: { productId: product.id } }).catch((err: unknown) =>
              setError(describeError(err)),
            );
          }}
        >
          Remove
        </button>
      </form>
      <Money value={line.lineTotal} className="price" />
      {error && (
        <p id={errorId} className="field-error line-error" role="alert" data-code={error.code}>
          {error.message}
        </p>
      )}
    </li>
  );
}

function CartContents() {
  const { data, error, refetch } = useQuery(CartCheckoutPageDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [clear, clearing] = useMutation(ClearCartDocument);
  const [clearError, setClearError] = useState<ShopError | null>(null);
  if (error && !data)
    return <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />;
  const cart = data?.cart;
  if (!cart) return <Loading what="Loading your cart…" />;
  if (cart.items.length === 0) return <EmptyCart />;
  const blocked = cart.items.some(
    (line) => line.product.deletedAt || line.product.stock < line.quantity,
  );
  return (
    <div className="page">
      <ul className="lines" aria-label="Cart lines">
        {cart.items.map((line) => (
          <CartLine key={line.product.id} line={line} />
        ))}
      </ul>
      <TotalsBreakdown
        totals={cart.totals}
        discountCode={cart.discountCode}
        hasAddress={cart.shippingAddress !== null}
        hasMethod={cart.shippingMethod !== null}
        itemCount={cart.itemCount}
        testIdPrefix="cart"
      />
      {blocked && (
        <p className="notice notice-error" role="alert">
          Some lines have more units than are in stock, or products no longer sold. Change them to
          check out.
        </p>
      )}
      {clearError && <ErrorNotice error={clearError} />}
      <div className="form-actions">
        <button
          type="button"
          className="button-danger"
          disabled={clearing.loading}
          onClick={() => {
            setClearError(null);
            clear().catch((err: unknown) => setClearError(describeError(err)));
          }}
        >
          Empty cart
        </button>
        {blocked ? (
          <span className="button-primary" aria-disabled="true">
            Check out
          </span>
        ) : (
          <Link to="/checkout" className="button-primary">
            Check out
          </Link>
        )}
      </div>
    </div>
  );
}

export default function Cart() {
  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      <RequireSession>{() => <CartContents />}</RequireSession>
    </section>
  );
}
