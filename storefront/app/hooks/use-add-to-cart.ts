import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { forgetCartQuote } from '../apollo/cache.ts';
import { browserSession } from '../auth/browser-session.ts';
import { useSession } from '../auth/session.tsx';
import { AddToCartDocument } from '../graphql/generated.ts';
import { describeError, type ShopError } from '../lib/errors.ts';

/**
 * "Add to cart" from a card or the product page. Signed-out shoppers are sent to sign in and
 * come back; errors (out of stock, quantity limits) stay next to the button that caused them.
 */
export function useAddToCart(productId: string) {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [mutate, { loading }] = useMutation(AddToCartDocument, {
    update: (cache) => forgetCartQuote(cache),
  });
  const [error, setError] = useState<ShopError | null>(null);
  const [added, setAdded] = useState(false);

  const add = async (quantity = 1) => {
    setError(null);
    setAdded(false);
    // Right after a page load the session may still be checking: its answer decides.
    const signedIn =
      session.status === 'signed-in' ||
      (session.status === 'checking' &&
        (await browserSession()
          .accessToken()
          .catch(() => null)) !== null);
    if (!signedIn) {
      const next = encodeURIComponent(`${location.pathname}${location.search}`);
      navigate(`/sign-in?reason=cart&next=${next}`);
      return;
    }
    try {
      await mutate({ variables: { productId, quantity } });
      setAdded(true);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return { add, loading, error, added };
}
