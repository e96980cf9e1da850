import { useApolloClient } from '@apollo/client/react';
import { useEffect } from 'react';
import { CartPageDocument, type OrderTrackingFragment } from '../graphql/generated.ts';

const EVERY_MS = 1000;
const FOR_MS = 20_000;

/**
 * The cart empties itself after an order (a worker subtracts the ordered quantities when it sees
 * OrderPlaced), a moment after the order exists. While the cart the page knows still holds the
 * order's products, and the order is fresh, the cart is read again each second, so the header
 * shows the emptied cart without a reload.
 */
export function useCartCatchUp(
  order: Pick<OrderTrackingFragment, 'createdAt' | 'items'> | undefined | null,
) {
  const client = useApolloClient();
  useEffect(() => {
    if (!order) return;
    const ordered = new Set(order.items.map((item) => item.product.id));
    const until = new Date(order.createdAt).getTime() + FOR_MS;
    const stale = () => {
      const cart = client.readQuery({ query: CartPageDocument })?.cart;
      return cart?.items.some((line) => ordered.has(line.product.id)) ?? false;
    };
    const timer = setInterval(() => {
      if (Date.now() > until || !stale()) return clearInterval(timer);
      void client
        .query({ query: CartPageDocument, fetchPolicy: 'network-only' })
        .catch(() => undefined);
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [client, order]);
}
