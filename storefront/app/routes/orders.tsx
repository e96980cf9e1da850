import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Money } from '../components/money.tsx';
import { ShowMore } from '../components/show-more.tsx';
import { MyOrdersDocument } from '../graphql/generated.ts';
import { formatMoment } from '../lib/dates.ts';
import { describeError } from '../lib/errors.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Your orders — Tackle Shop' }];

const PAGE = 10;

function OrderList() {
  const { data, error, fetchMore, refetch } = useQuery(MyOrdersDocument, {
    variables: { first: PAGE, after: null },
    fetchPolicy: 'cache-and-network',
  });
  if (error && !data)
    return <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />;
  const orders = data?.myOrders;
  if (!orders) return <Loading what="Loading your orders…" />;
  if (orders.edges.length === 0)
    return (
      <div className="empty">
        <p>You have no orders yet.</p>
        <p>
          <Link to="/">Browse the catalog</Link>
        </p>
      </div>
    );
  return (
    <>
      <p className="muted">
        {orders.totalCount} order{orders.totalCount === 1 ? '' : 's'}
      </p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Placed</th>
              <th scope="col">Items</th>
              <th scope="col">Status</th>
              <th scope="col" className="number">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.edges.map(({ node }) => (
              <tr key={node.id} data-testid="order-row">
                <td>
                  <Link to={`/orders/${node.id}`}>{formatMoment(node.createdAt)}</Link>
                </td>
                <td>
                  {node.items.map((item) => `${item.quantity} × ${item.productName}`).join(', ')}
                </td>
                <td>
                  <span className={`status status-${node.status}`}>{node.status}</span>
                </td>
                <td className="number">
                  <Money value={node.total} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {orders.pageInfo.hasNextPage && (
        <ShowMore
          label="Show more orders"
          load={() => fetchMore({ variables: { after: orders.pageInfo.endCursor } })}
        />
      )}
    </>
  );
}

export default function Orders() {
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Your orders</h1>
      <RequireSession>{() => <OrderList />}</RequireSession>
    </section>
  );
}
