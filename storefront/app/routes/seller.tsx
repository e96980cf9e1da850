import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { Money } from '../components/money.tsx';
import {
  CreateSellerDocument,
  DeleteProductDocument,
  PopularProductsDocument,
  SellerProductsDocument,
  type AnalyticsWindow,
  type PopularityMetric,
} from '../graphql/generated.ts';
import { useMySeller } from '../hooks/use-my-seller.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Seller area — Tackle Shop' }];

const WINDOWS: { value: AnalyticsWindow; label: string }[] = [
  { value: 'LAST_HOUR', label: 'Last hour' },
  { value: 'LAST_DAY', label: 'Last 24 hours' },
  { value: 'LAST_7_DAYS', label: 'Last 7 days' },
  { value: 'LAST_30_DAYS', label: 'Last 30 days' },
];
const isWindow = (value: string | null): value is AnalyticsWindow =>
  WINDOWS.some((w) => w.value === value);

function OpenSeller() {
  const [create, { loading }] = useMutation(CreateSellerDocument, {
    refetchQueries: ['MySellers'],
  });
  const [error, setError] = useState<ShopError | null>(null);
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        setError(null);
        create({
          variables: {
            input: {
              name: String(form.get('name') ?? ''),
              description: String(form.get('description') ?? ''),
            },
          },
        }).catch((err: unknown) => setError(describeError(err)));
      }}
    >
      <p>You do not run a shop here yet. Open one to list products.</p>
      <Field
        label="Shop name"
        name="name"
        required
        maxLength={120}
        error={error?.field === 'name' ? error.message : undefined}
      />
      <Field label="About the shop" name="description" maxLength={1000} />
      {error && error.field !== 'name' && <ErrorNotice error={error} />}
      <button type="submit" className="button-primary" disabled={loading}>
        Open my shop
      </button>
    </form>
  );
}

function Popular({ by, window }: { by: PopularityMetric; window: AnalyticsWindow }) {
  const { data, error } = useQuery(PopularProductsDocument, {
    variables: { by, window, first: 10 },
  });
  const title = by === 'VIEWS' ? 'Most viewed in the store' : 'Best selling in the store';
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {error && <ErrorNotice error={describeError(error)} />}
      {data && data.popularProducts.length === 0 && (
        <p className="muted">Nothing in this window yet.</p>
      )}
      {data && data.popularProducts.length > 0 && (
        <ol data-testid={`popular-${by.toLowerCase()}`}>
          {data.popularProducts.map((entry, i) => (
            <li key={entry.product?.id ?? i}>
              {entry.product ? (
                <Link to={`/products/${entry.product.id}`}>{entry.product.name}</Link>
              ) : (
                'A removed product'
              )}{' '}
              <span className="muted">
                {by === 'VIEWS' ? `${entry.views} views` : `${entry.sales} sold`}
                {entry.product ? ` · ${entry.product.seller.name}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Dashboard() {
  const [params, setParams] = useSearchParams();
  const { seller, sellers, loading, error, refetch } = useMySeller();
  const requested = params.get('window');
  const period: AnalyticsWindow = isWindow(requested) ? requested : 'LAST_7_DAYS';
  const [sortBy, setSortBy] = useState<'NEWEST' | 'VIEWS' | 'SALES'>('NEWEST');
  const products = useQuery(SellerProductsDocument, {
    variables: { sellerId: seller?.id ?? '', window: period, first: 50, after: null },
    skip: !seller,
    fetchPolicy: 'cache-and-network',
  });
  const [remove] = useMutation(DeleteProductDocument, { refetchQueries: ['SellerProducts'] });
  const [rowError, setRowError] = useState<ShopError | null>(null);
  if (error && sellers.length === 0)
    return <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />;
  if (!seller) return loading ? <Loading what="Loading your shop…" /> : <OpenSeller />;
  const rows = [...(products.data?.products.edges.map((e) => e.node) ?? [])];
  if (sortBy === 'VIEWS') rows.sort((a, b) => b.stats.views - a.stats.views);
  if (sortBy === 'SALES') rows.sort((a, b) => b.stats.sales - a.stats.sales);
  const update = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <>
      <div className="toolbar">
        {sellers.length > 1 && (
          <label>
            Shop{' '}
            <select value={seller.id} onChange={(e) => update('seller', e.target.value)}>
              {sellers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Figures for{' '}
          <select value={period} onChange={(e) => update('window', e.target.value)}>
            {WINDOWS.map((w) => (
              <option key={w.value} value={w.value}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order by{' '}
          <select value={sortBy} onChange={(e) => setSortBy(e.target.value as typeof sortBy)}>
            <option value="NEWEST">Newest</option>
            <option value="VIEWS">Views</option>
            <option value="SALES">Sales</option>
          </select>
        </label>
        <Link
          to={`/seller/products/new?seller=${encodeURIComponent(seller.id)}`}
          className="button-primary"
        >
          New product
        </Link>
      </div>
      <h2>
        {seller.name}: {products.data?.products.totalCount ?? '…'} products
      </h2>
      {products.error && <ErrorNotice error={describeError(products.error)} />}
      {rowError && <ErrorNotice error={rowError} />}
      <div className="table-scroll">
        <table className="table" data-testid="seller-products">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Category</th>
              <th scope="col" className="number">
                Price
              </th>
              <th scope="col" className="number">
                Stock
              </th>
              <th scope="col" className="number">
                Views
              </th>
              <th scope="col" className="number">
                Sold
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((product) => (
              <tr key={product.id}>
                <td>
                  <Link to={`/products/${product.id}`}>{product.name}</Link>
                </td>
                <td>{product.category.name}</td>
                <td className="number">
                  <Money value={product.price} />
                </td>
                <td className="number">{product.stock}</td>
                <td className="number">{product.stats.views}</td>
                <td className="number">{product.stats.sales}</td>
                <td>
                  <Link to={`/seller/products/${product.id}`}>Edit</Link>{' '}
                  <button
                    type="button"
                    className="button-link"
                    aria-label={`Delete ${product.name}`}
                    onClick={() => {
                      if (!window.confirm(`Delete “${product.name}”? It leaves the store at once.`))
                        return;
                      setRowError(null);
                      remove({ variables: { id: product.id } }).catch((err: unknown) =>
                        setRowError(describeError(err)),
                      );
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="listing">
        <Popular by="VIEWS" window={period} />
        <Popular by="SALES" window={period} />
      </div>
    </>
  );
}

export default function Seller() {
  return (
    <section aria-labelledby="seller-title">
      <h1 id="seller-title">Seller area</h1>
      <RequireSession roles={['SELLER', 'ADMIN']}>{() => <Dashboard />}</RequireSession>
    </section>
  );
}
