import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { ProductForm } from '../components/product-form.tsx';
import {
  DeleteProductDocument,
  EditProductDocument,
  UpdateProductDocument,
} from '../graphql/generated.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { formValuesOf } from '../lib/product-values.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Edit product — Tackle Shop' }];

function EditProduct({ id }: { id: string }) {
  const navigate = useNavigate();
  const {
    data,
    error: loadError,
    refetch,
  } = useQuery(EditProductDocument, {
    variables: { id },
    fetchPolicy: 'network-only',
  });
  const [update, { loading: saving }] = useMutation(UpdateProductDocument);
  const [remove, { loading: removing }] = useMutation(DeleteProductDocument, {
    refetchQueries: ['SellerProducts'],
  });
  const [error, setError] = useState<ShopError | null>(null);
  const [saved, setSaved] = useState(false);
  if (loadError && !data)
    return <ErrorNotice error={describeError(loadError)} onRetry={() => void refetch()} />;
  if (!data) return <Loading what="Loading the product…" />;
  const product = data.product;
  if (!product)
    return (
      <div className="empty">
        <p>This product does not exist or was deleted.</p>
        <p>
          <Link to="/seller">Seller area</Link>
        </p>
      </div>
    );
  return (
    <>
      <p className="muted">
        {product.seller.name} · SKU {product.sku} ·{' '}
        <Link to={`/products/${product.id}`}>View in the store</Link>
      </p>
      <ProductForm
        key={product.id}
        initial={formValuesOf(product)}
        submitLabel="Save changes"
        serverError={error}
        pending={saving}
        skuLocked
        onSubmit={({ sku: _sku, ...input }) => {
          setError(null);
          setSaved(false);
          update({ variables: { id: product.id, input } }).then(
            () => setSaved(true),
            (err: unknown) => setError(describeError(err)),
          );
        }}
      />
      <p aria-live="polite">{saved && <span className="ok">Saved.</span>}</p>
      <div className="form-actions">
        <button
          type="button"
          className="button-danger"
          disabled={removing}
          onClick={() => {
            if (!window.confirm(`Delete “${product.name}”? It leaves the store at once.`)) return;
            remove({ variables: { id: product.id } }).then(
              () => navigate('/seller'),
              (err: unknown) => setError(describeError(err)),
            );
          }}
        >
          Delete product
        </button>
      </div>
    </>
  );
}

export default function SellerProductEdit() {
  const { id = '' } = useParams();
  return (
    <section aria-labelledby="edit-product-title">
      <h1 id="edit-product-title">Edit product</h1>
      <p>
        <Link to="/seller">← Seller area</Link>
      </p>
      <RequireSession roles={['SELLER', 'ADMIN']}>{() => <EditProduct id={id} />}</RequireSession>
    </section>
  );
}
