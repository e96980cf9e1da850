import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { EMPTY_PRODUCT, ProductForm } from '../components/product-form.tsx';
import { CreateProductDocument } from '../graphql/generated.ts';
import { useMySeller } from '../hooks/use-my-seller.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'New product — Tackle Shop' }];

function NewProduct() {
  const navigate = useNavigate();
  const { seller, loading, error: sellerError } = useMySeller();
  const [create, { loading: saving }] = useMutation(CreateProductDocument);
  const [error, setError] = useState<ShopError | null>(null);
  if (sellerError) return <ErrorNotice error={describeError(sellerError)} />;
  if (!seller)
    return loading ? (
      <Loading what="Loading your shop…" />
    ) : (
      <p>
        Open your shop in the <Link to="/seller">seller area</Link> first.
      </p>
    );
  return (
    <>
      <p className="muted">Listed by {seller.name}</p>
      <ProductForm
        initial={EMPTY_PRODUCT}
        submitLabel="List the product"
        serverError={error}
        pending={saving}
        onSubmit={(input) => {
          setError(null);
          create({
            variables: { input: { ...input, sellerId: seller.id } },
            refetchQueries: ['SellerProducts'],
          }).then(
            (result) => {
              const id = result.data?.createProduct.id;
              navigate(id ? `/products/${id}` : '/seller');
            },
            (err: unknown) => setError(describeError(err)),
          );
        }}
      />
    </>
  );
}

export default function SellerProductNew() {
  return (
    <section aria-labelledby="new-product-title">
      <h1 id="new-product-title">New product</h1>
      <p>
        <Link to="/seller">← Seller area</Link>
      </p>
      <RequireSession roles={['SELLER', 'ADMIN']}>{() => <NewProduct />}</RequireSession>
    </section>
  );
}
