import { Link } from 'react-router';

export function EmptyCart() {
  return (
    <div className="empty" data-testid="cart-empty">
      <p>Your cart is empty.</p>
      <p>
        <Link to="/">Browse the catalog</Link>
      </p>
    </div>
  );
}
