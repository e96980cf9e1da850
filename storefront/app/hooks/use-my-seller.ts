import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { MySellersDocument } from '../graphql/generated.ts';

/** The sellers the signed-in user manages, and the one chosen (`?seller=`, else the first). */
export function useMySeller() {
  const [params] = useSearchParams();
  const query = useQuery(MySellersDocument, { fetchPolicy: 'cache-and-network' });
  const sellers = query.data?.mySellers ?? [];
  const wanted = params.get('seller');
  const seller = sellers.find((s) => s.id === wanted) ?? sellers[0] ?? null;
  return { ...query, sellers, seller };
}
