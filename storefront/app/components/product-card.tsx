import { Link } from 'react-router';
import type { ProductCardFragment } from '../graphql/generated.ts';
import { useAddToCart } from '../hooks/use-add-to-cart.ts';
import { useHydrated } from '../lib/use-hydrated.ts';
import { Money } from './money.tsx';
import { ProductImage } from './product-image.tsx';
import { Rating } from './rating.tsx';
import { StockLabel } from './stock-label.tsx';

export function ProductCard({
  product,
  children,
}: {
  product: ProductCardFragment;
  children?: React.ReactNode;
}) {
  const cart = useAddToCart(product.id);
  const hydrated = useHydrated();
  return (
    <article className="card" data-testid="product-card" data-product-id={product.id}>
      <Link to={`/products/${product.id}`} className="card-image" tabIndex={-1} aria-hidden="true">
        <ProductImage src={product.images[0]} alt="" size="card" />
      </Link>
      <h3 className="card-title">
        <Link to={`/products/${product.id}`}>{product.name}</Link>
      </h3>
      {children}
      <p className="card-meta">
        <Money value={product.price} className="price" />
        <Rating value={product.rating} count={product.reviewCount} />
      </p>
      <p className="card-meta muted">
        {product.category.name} · {product.seller.name}
      </p>
      <StockLabel stock={product.stock} />
      <button
        type="button"
        className="button-primary"
        disabled={!hydrated || !product.inStock || cart.loading}
        onClick={() => void cart.add(1)}
        aria-label={`Add to cart: ${product.name}`}
      >
        {cart.loading ? 'Adding…' : 'Add to cart'}
      </button>
      <p className="card-feedback" aria-live="polite">
        {cart.added && <span className="ok">Added to your cart</span>}
        {cart.error && (
          <span className="field-error" data-code={cart.error.code}>
            {cart.error.message}
          </span>
        )}
      </p>
    </article>
  );
}
