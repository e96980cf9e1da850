import type { ApolloClient } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { browserApollo } from '../apollo/browser-client.ts';
import { serverApollo } from '../apollo/server-client.ts';
import { useSession } from '../auth/session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { Money } from '../components/money.tsx';
import { ProductImage } from '../components/product-image.tsx';
import { Rating } from '../components/rating.tsx';
import { ShowMore } from '../components/show-more.tsx';
import { StockLabel } from '../components/stock-label.tsx';
import {
  AddReviewDocument,
  ProductPageDocument,
  RecordProductViewDocument,
  type ProductPageQuery,
  type ProductPageQueryVariables,
} from '../graphql/generated.ts';
import { useAddToCart } from '../hooks/use-add-to-cart.ts';
import { formatDate } from '../lib/dates.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { loaderFailure, notFound } from '../lib/route-errors.ts';
import { useHydrated } from '../lib/use-hydrated.ts';
import type { Route } from './+types/product';
import { Loading } from '../components/loading.tsx';

const REVIEWS_PAGE = 5;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * In the browser the page renders from the first part of the answer (the product itself): its
 * statistics and reviews are deferred and keep streaming into the cache, where the page's own
 * query picks them up. On the server the whole answer is awaited: crawlers get every review.
 */
function firstPart(client: ApolloClient, variables: ProductPageQueryVariables) {
  return new Promise<{ data: ProductPageQuery | undefined }>((resolve, reject) => {
    let settled = false;
    const subscription = client
      .watchQuery({ query: ProductPageDocument, variables })
      .subscribe((result) => {
        if (result.error) {
          if (!settled) reject(result.error);
          settled = true;
        } else if (
          !settled &&
          (result.dataState === 'streaming' || result.dataState === 'complete')
        ) {
          settled = true;
          resolve({ data: result.data as ProductPageQuery });
        }
        if (result.error || result.dataState === 'complete')
          queueMicrotask(() => subscription.unsubscribe());
      });
  });
}

async function preload(client: ApolloClient, id: string | undefined, streamed = false) {
  if (!id || !ID.test(id)) throw notFound();
  let result;
  const variables = { id, reviewsFirst: REVIEWS_PAGE, reviewsAfter: null };
  try {
    result = streamed
      ? await firstPart(client, variables)
      : await client.query({ query: ProductPageDocument, variables });
  } catch (error) {
    // A malformed id names no product: the answer is the same 404 as for an unknown one.
    if (describeError(error).code === 'BAD_USER_INPUT') throw notFound();
    throw loaderFailure(error);
  }
  if (!result.data?.product) throw notFound();
  return { name: result.data.product.name, description: result.data.product.description };
}

export const loader = ({ context, params }: Route.LoaderArgs) =>
  preload(serverApollo(context), params.id);
export const clientLoader = ({ params }: Route.ClientLoaderArgs) =>
  preload(browserApollo(), params.id, true);

export function meta({ data }: Route.MetaArgs) {
  if (!data) return [{ title: 'Product not found — Tackle Shop' }];
  return [
    { title: `${data.name} — Tackle Shop` },
    { name: 'description', content: data.description.slice(0, 160) },
  ];
}

/** One view per page visit: counted in the browser, so crawlers and prefetches never count. */
function useRecordView(productId: string) {
  const [record] = useMutation(RecordProductViewDocument);
  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (recorded.current === productId) return;
    recorded.current = productId;
    record({ variables: { productId } }).catch(() => undefined);
  }, [productId, record]);
}

function BuyBox({ productId, name, stock }: { productId: string; name: string; stock: number }) {
  const cart = useAddToCart(productId);
  const hydrated = useHydrated();
  const [quantity, setQuantity] = useState(1);
  return (
    <form
      className="quantity-row"
      onSubmit={(event) => {
        event.preventDefault();
        void cart.add(quantity);
      }}
    >
      <Field
        label="Quantity"
        type="number"
        min={1}
        max={99}
        value={quantity}
        onChange={(event) =>
          setQuantity(Math.max(1, Math.min(99, Number(event.target.value) || 1)))
        }
      />
      <button
        type="submit"
        className="button-primary"
        disabled={!hydrated || stock <= 0 || cart.loading}
      >
        {cart.loading ? 'Adding…' : `Add to cart`}
      </button>
      <p className="card-feedback" aria-live="polite">
        {cart.added && (
          <span className="ok">
            Added {name} to your <Link to="/cart">cart</Link>
          </span>
        )}
        {cart.error && (
          <span className="field-error" data-code={cart.error.code}>
            {cart.error.message}
          </span>
        )}
      </p>
    </form>
  );
}

function ReviewForm({ productId }: { productId: string }) {
  const session = useSession();
  const id = useId();
  const [rating, setRating] = useState(5);
  const [text, setText] = useState('');
  const [error, setError] = useState<ShopError | null>(null);
  const [done, setDone] = useState(false);
  const [addReview, { loading }] = useMutation(AddReviewDocument, {
    refetchQueries: ['ProductPage'],
  });
  if (session.status !== 'signed-in')
    return (
      <p>
        <Link to={`/sign-in?next=${encodeURIComponent(`/products/${productId}`)}`}>Sign in</Link> to
        write a review.
      </p>
    );
  if (done) return <p className="ok">Thank you for your review.</p>;
  return (
    <form
      className="form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        addReview({ variables: { productId, rating, text } }).then(
          () => setDone(true),
          (err: unknown) => setError(describeError(err)),
        );
      }}
    >
      <h3 id={`${id}-title`}>Write a review</h3>
      <Field
        label="Rating"
        control={(props) => (
          <select
            {...props}
            value={rating}
            onChange={(event) => setRating(Number(event.target.value))}
          >
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={n}>
                {n} star{n === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        )}
      />
      <Field
        label="Your review"
        error={error?.code === 'BAD_USER_INPUT' ? error.message : undefined}
        control={(props) => (
          <textarea
            {...props}
            rows={4}
            maxLength={2000}
            required
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        )}
      />
      {error && error.code !== 'BAD_USER_INPUT' && <ErrorNotice error={error} />}
      <button type="submit" className="button-primary" disabled={loading}>
        {loading ? 'Sending…' : 'Publish review'}
      </button>
    </form>
  );
}

export default function ProductRoute() {
  const { id = '' } = useParams();
  const { data, error, fetchMore, refetch } = useQuery(ProductPageDocument, {
    variables: { id, reviewsFirst: REVIEWS_PAGE, reviewsAfter: null },
  });
  useRecordView(id);
  if (error && !data)
    return <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />;
  const product = data?.product;
  if (!product) return <Loading what="Loading…" />;
  const reviews = product.reviews;
  return (
    <article className="page" data-testid="product-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">Catalog</Link>
          </li>
          {product.category.path.map((c) => (
            <li key={c.id}>
              <Link to={`/?category=${encodeURIComponent(c.id)}`}>{c.name}</Link>
            </li>
          ))}
        </ol>
      </nav>
      <div className="product">
        <ProductImage src={product.images[0]} alt={product.name} size="page" />
        <div className="product-buy">
          <h1>{product.name}</h1>
          <Money value={product.price} className="price" />
          <Rating value={product.rating} count={product.reviewCount} />
          <StockLabel stock={product.stock} />
          <p className="muted">
            Sold by{' '}
            <Link to={`/?seller=${encodeURIComponent(product.seller.id)}`}>
              {product.seller.name}
            </Link>{' '}
            · SKU {product.sku}
          </p>
          <BuyBox productId={product.id} name={product.name} stock={product.stock} />
          <p className="stats" data-testid="product-stats">
            {product.stats ? (
              <>
                <span>{product.stats.views} views</span>
                <span>{product.stats.sales} sold</span>
                <span className="muted">in the last 7 days</span>
              </>
            ) : (
              <span className="muted" role="status">
                Loading statistics…
              </span>
            )}
          </p>
        </div>
      </div>
      <h2>Description</h2>
      <p>{product.description}</p>
      {product.attributes.length > 0 && (
        <>
          <h2>Details</h2>
          <dl className="attributes">
            {product.attributes.map((a) => (
              <div key={a.name} className="attribute">
                <dt>{a.name}</dt>
                <dd>{a.value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h2 id="reviews">Reviews{reviews ? ` (${reviews.totalCount})` : ''}</h2>
      {!reviews && <Loading what="Loading reviews…" />}
      {reviews?.edges.length === 0 && <p className="muted">No reviews yet. Be the first.</p>}
      <ul className="reviews">
        {reviews?.edges.map(({ node }) => (
          <li key={node.id} className="review">
            <Rating value={node.rating} />
            <p>{node.text}</p>
            <p className="muted">
              {node.author.name} ·{' '}
              <time dateTime={node.createdAt}>{formatDate(node.createdAt)}</time>
            </p>
          </li>
        ))}
      </ul>
      {reviews?.pageInfo.hasNextPage && (
        <ShowMore
          label="Show more reviews"
          load={() => fetchMore({ variables: { reviewsAfter: reviews.pageInfo.endCursor } })}
        />
      )}
      <ReviewForm productId={product.id} />
    </article>
  );
}
