import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState, useSyncExternalStore } from 'react';
import { Link, useParams } from 'react-router';
import { liveState } from '../apollo/live-state.ts';
import { browserSession } from '../auth/browser-session.ts';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { OrderSnapshotView } from '../components/order-snapshot.tsx';
import { Parcel } from '../components/parcel.tsx';
import { ReturnForm, ReturnList } from '../components/returns.tsx';
import {
  CancelOrderDocument,
  OrderPageDocument,
  OrderUpdatedDocument,
} from '../graphql/generated.ts';
import { useCartCatchUp } from '../hooks/use-cart-catch-up.ts';
import { formatClock, formatMoment } from '../lib/dates.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { CLOSE_UNAUTHORIZED, socketCloseCode } from '../lib/live-errors.ts';
import { isCancellable, STATUS_LABELS, timeline } from '../lib/workflow.ts';
import { Loading } from '../components/loading.tsx';

export const meta = () => [{ title: 'Your order — Tackle Shop' }];

function LiveIndicator({ failed }: { failed: boolean }) {
  const state = useSyncExternalStore(liveState.subscribe, liveState.get, () => 'idle' as const);
  const text = failed
    ? 'Live updates stopped'
    : state === 'connected'
      ? 'Live: updates appear as they happen'
      : state === 'reconnecting'
        ? 'Reconnecting…'
        : 'Connecting…';
  return (
    <p
      className={`live live-${failed ? 'failed' : state}`}
      role="status"
      data-testid="live-state"
      data-state={failed ? 'failed' : state}
    >
      <span className="live-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

function Tracking({ id }: { id: string }) {
  const order = useQuery(OrderPageDocument, {
    variables: { id },
    fetchPolicy: 'cache-and-network',
  });
  const [subscriptionError, setSubscriptionError] = useState<ShopError | null>(null);
  // Every event is the order's whole state; the cache merges it into Order:<id>, which the
  // query above shows.
  const live = useSubscription(OrderUpdatedDocument, {
    variables: { id },
    // The events land in the cache, which the query above shows: keeping them in the hook's
    // state too would render the page twice per event.
    ignoreResults: true,
    onData: () => setSubscriptionError(null),
    onError: (error) => {
      if (socketCloseCode(error) === CLOSE_UNAUTHORIZED) {
        // The token expired (renew and resubscribe: the first event is the current state) or
        // the session ended (renewal fails, and the session sends the shopper to sign in).
        browserSession()
          .accessToken()
          .then(
            (token) => {
              if (token) live.restart();
            },
            () => setSubscriptionError(describeError(error)),
          );
        return;
      }
      setSubscriptionError(describeError(error));
    },
  });
  const [cancel, cancelling] = useMutation(CancelOrderDocument);
  const [cancelError, setCancelError] = useState<ShopError | null>(null);
  useCartCatchUp(order.data?.order);

  const data = order.data?.order;
  if (order.error && !data)
    return <ErrorNotice error={describeError(order.error)} onRetry={() => void order.refetch()} />;
  if (!data) {
    if (order.loading) return <Loading what="Loading your order…" />;
    return (
      <div className="empty">
        <p>We could not find this order in your account.</p>
        <p>
          <Link to="/orders">Your orders</Link>
        </p>
      </div>
    );
  }
  // The parcel's steps have their own section (with who made them): the timeline keeps the
  // order's placement, saga and payment.
  const entries = timeline(data.workflow.filter((entry) => entry.step !== 'FULFILMENT'));
  return (
    <div className="page" data-testid="order-tracking">
      <p>
        Placed {formatMoment(data.createdAt)} · order <code>{data.id}</code>
      </p>
      <p>
        Status:{' '}
        <span
          className={`status status-${data.status}`}
          data-testid="order-status"
          data-updated-at={data.updatedAt}
          aria-live="polite"
        >
          {data.status}
        </span>{' '}
        <span className="muted">{STATUS_LABELS[data.status]}</span>
      </p>
      {data.cancelReason && <p data-testid="cancel-reason">Reason: {data.cancelReason}</p>}
      <LiveIndicator failed={subscriptionError !== null} />
      {subscriptionError && (
        <ErrorNotice
          error={subscriptionError}
          onRetry={() => {
            setSubscriptionError(null);
            live.restart();
          }}
        />
      )}
      <Parcel parcel={data.fulfillment} />
      {data.fulfillment.status === 'DELIVERED' && (
        <ReturnForm orderId={data.id} items={data.items} returns={data.returns} />
      )}
      <ReturnList returns={data.returns} title="Your returns" />
      <OrderSnapshotView order={data} />
      <h2>Timeline</h2>
      <ol className="timeline" data-testid="timeline" aria-live="polite">
        {entries.map((entry) => (
          <li
            key={entry.key}
            className={entry.compensation ? 'compensation' : undefined}
            data-testid="timeline-entry"
          >
            <strong>{entry.title}</strong>
            {entry.detail && <span> — {entry.detail}</span>}
            <time dateTime={entry.at}>{formatClock(entry.at)}</time>
          </li>
        ))}
      </ol>
      {isCancellable(data.status) && (
        <div className="form-actions">
          <button
            type="button"
            className="button-danger"
            disabled={cancelling.loading}
            onClick={() => {
              setCancelError(null);
              cancel({ variables: { id: data.id, reason: 'Cancelled by the customer' } }).catch(
                (err: unknown) => setCancelError(describeError(err)),
              );
            }}
          >
            {cancelling.loading ? 'Cancelling…' : 'Cancel order'}
          </button>
        </div>
      )}
      {cancelError && <ErrorNotice error={cancelError} />}
    </div>
  );
}

export default function OrderRoute() {
  const { id = '' } = useParams();
  return (
    <section aria-labelledby="order-title">
      <h1 id="order-title">Your order</h1>
      <p>
        <Link to="/orders">← All your orders</Link>
      </p>
      <RequireSession>{() => <Tracking id={id} />}</RequireSession>
    </section>
  );
}
