import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { RequireSession } from '../auth/require-session.tsx';
import type { SessionUser } from '../auth/token-manager.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Loading } from '../components/loading.tsx';
import { Money } from '../components/money.tsx';
import { ShipmentFacts } from '../components/parcel.tsx';
import {
  ApproveReturnDocument,
  ManageOrdersDocument,
  MarkDeliveredDocument,
  MarkPackedDocument,
  MarkReturnReceivedDocument,
  MarkShippedDocument,
  RejectReturnDocument,
  type ManagedOrderFragment,
  type ManagedReturnFragment,
} from '../graphql/generated.ts';
import { formatMoment } from '../lib/dates.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import {
  FULFILLMENT_LABELS,
  FULFILLMENT_STATUSES,
  isOpenReturn,
  nextParcelAction,
  ORDER_STATUSES,
  RETURN_LABELS,
} from '../lib/fulfillment.ts';
import {
  orderFilterOf,
  orderListSearch,
  parseOrderList,
  type OrderListState,
} from '../lib/order-filter.ts';
import { STATUS_LABELS } from '../lib/workflow.ts';

export const meta = () => [{ title: 'Manage orders — Tackle Shop' }];

// The gateway's cost limit prices a page by the most lines and returns an order may hold: ten
// orders a page keep well inside it.
const PAGE = 10;
const PATH = '/manage/orders';

const href = (state: OrderListState) => {
  const search = orderListSearch(state);
  return search ? `${PATH}?${search}` : PATH;
};

function Filters({ state, byEmail }: { state: OrderListState; byEmail: boolean }) {
  const navigate = useNavigate();
  const id = useId();
  const [rangeError, setRangeError] = useState<string | null>(null);
  return (
    <form
      className="filters manage-filters"
      aria-label="Filter orders"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const value = (name: string) => String(form.get(name) ?? '');
        // A new filter starts at the first page: a cursor only pages the list it came from.
        const next = parseOrderList(
          new URLSearchParams({
            status: value('status'),
            fulfillment: value('fulfillment'),
            from: value('from'),
            to: value('to'),
            email: value('email'),
          }),
        );
        if (next.from && next.to && next.to < next.from) {
          setRangeError('Choose a last day on or after the first day.');
          return;
        }
        setRangeError(null);
        navigate(href(next));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-status`}>Payment status</label>
        <select id={`${id}-status`} name="status" defaultValue={state.status ?? ''}>
          <option value="">Any</option>
          {ORDER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-fulfillment`}>Parcel status</label>
        <select id={`${id}-fulfillment`} name="fulfillment" defaultValue={state.fulfillment ?? ''}>
          <option value="">Any</option>
          {FULFILLMENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {FULFILLMENT_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Placed from</label>
        <input id={`${id}-from`} name="from" type="date" defaultValue={state.from ?? ''} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Placed until</label>
        <input
          id={`${id}-to`}
          name="to"
          type="date"
          defaultValue={state.to ?? ''}
          aria-invalid={rangeError ? true : undefined}
          aria-describedby={rangeError ? `${id}-to-error` : undefined}
        />
        {rangeError && (
          <p id={`${id}-to-error`} className="field-error" role="alert">
            {rangeError}
          </p>
        )}
      </div>
      {byEmail && (
        <div className="field">
          <label htmlFor={`${id}-email`}>Customer e-mail</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            maxLength={254}
            defaultValue={state.email ?? ''}
          />
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary">
          Apply filters
        </button>
        <Link to={PATH} className="button-secondary">
          Clear filters
        </Link>
      </div>
    </form>
  );
}

/** One step of the row's actions at a time: which one runs, and the last refusal. */
function useRowAction() {
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<ShopError | null>(null);
  const run = (what: string, action: () => Promise<unknown>) => {
    setRunning(what);
    setError(null);
    action()
      .catch((err: unknown) => setError(describeError(err)))
      .finally(() => setRunning(null));
  };
  return { running, error, run };
}

function ShipForm({
  defaultCarrier,
  disabled,
  error,
  onShip,
}: {
  defaultCarrier: string;
  disabled: boolean;
  /** The last refusal: the field it names is marked. */
  error: ShopError | null;
  onShip: (carrier: string, trackingNumber: string) => void;
}) {
  const id = useId();
  const invalid = (field: string) => (error?.field === field ? true : undefined);
  return (
    <form
      className="ship-form"
      aria-label="Ship the parcel"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        // Sent as typed: the API trims and checks them, and names the field it refuses.
        onShip(String(form.get('carrier') ?? ''), String(form.get('trackingNumber') ?? ''));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-carrier`}>Carrier</label>
        <input
          id={`${id}-carrier`}
          name="carrier"
          required
          aria-invalid={invalid('carrier')}
          maxLength={100}
          defaultValue={defaultCarrier}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tracking`}>Tracking number</label>
        <input
          id={`${id}-tracking`}
          name="trackingNumber"
          required
          maxLength={64}
          aria-invalid={invalid('trackingNumber')}
        />
      </div>
      <button type="submit" className="button-primary" disabled={disabled}>
        Mark shipped
      </button>
    </form>
  );
}

function ReturnActions({
  ret,
  disabled,
  run,
}: {
  ret: ManagedReturnFragment;
  disabled: boolean;
  run: (what: string, action: () => Promise<unknown>) => void;
}) {
  const id = useId();
  // A decision on a return changes the order's parcel too (Return requested → Delivered or
  // Returned), which the Return answer does not carry: the list is read again.
  const options = { refetchQueries: ['ManageOrders'], awaitRefetchQueries: true };
  const [approve] = useMutation(ApproveReturnDocument, options);
  const [reject] = useMutation(RejectReturnDocument, options);
  const [receive] = useMutation(MarkReturnReceivedDocument, options);
  if (ret.status === 'APPROVED')
    return (
      <div className="row-actions">
        <button
          type="button"
          className="button-primary"
          disabled={disabled}
          onClick={() =>
            run('Marking the return received', () => receive({ variables: { id: ret.id } }))
          }
        >
          Mark return received
        </button>
      </div>
    );
  if (ret.status !== 'REQUESTED') return null;
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button-primary"
        disabled={disabled}
        onClick={() => run('Approving the return', () => approve({ variables: { id: ret.id } }))}
      >
        Approve return
      </button>
      <form
        className="reject-form"
        aria-label="Reject the return"
        onSubmit={(event) => {
          event.preventDefault();
          const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
          run('Rejecting the return', () => reject({ variables: { id: ret.id, reason } }));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason for rejecting</label>
          <input id={`${id}-reason`} name="reason" required maxLength={500} />
        </div>
        <button type="submit" className="button-danger" disabled={disabled}>
          Reject return
        </button>
      </form>
    </div>
  );
}

/** A return in a row: where it is, the refund it carries, the customer's reason, a refusal's. */
function ManagedReturnItem({ ret }: { ret: ManagedReturnFragment }) {
  return (
    <li className="return" data-testid="return" data-return-id={ret.id}>
      <p>
        <span className={`status status-${ret.status}`} data-testid="return-status">
          {ret.status}
        </span>{' '}
        <span className="muted">
          {RETURN_LABELS[ret.status]} · asked for {formatMoment(ret.createdAt)}
        </span>
      </p>
      {ret.refund && (
        <p data-testid="return-refund">
          Refund: <Money value={ret.refund} />
        </p>
      )}
      <p>Customer's reason: {ret.reason}</p>
      {ret.rejectionReason && <p data-testid="return-rejection">Rejected: {ret.rejectionReason}</p>}
    </li>
  );
}

function ManagedOrderCard({ order, isAdmin }: { order: ManagedOrderFragment; isAdmin: boolean }) {
  const titleId = useId();
  const { running, error, run } = useRowAction();
  // Each answer is the order's new state: the normalized cache refreshes this row from it.
  const [pack] = useMutation(MarkPackedDocument);
  const [ship] = useMutation(MarkShippedDocument);
  const [deliver] = useMutation(MarkDeliveredDocument);
  const action = nextParcelAction(order.status, order.fulfillment.status);
  const busy = running !== null;
  const shortId = order.id.slice(0, 8);
  const customer = order.shippingAddress;
  return (
    <article
      className="managed-order"
      aria-labelledby={titleId}
      aria-busy={busy}
      data-testid="managed-order"
      data-order-id={order.id}
    >
      <header className="managed-order-head">
        <h2 id={titleId}>Order {shortId}</h2>
        <span className={`status status-${order.status}`} data-testid="managed-status">
          {order.status}
        </span>
        <span
          className={`status status-${order.fulfillment.status}`}
          data-testid="managed-fulfillment"
          data-status={order.fulfillment.status}
        >
          {FULFILLMENT_LABELS[order.fulfillment.status]}
        </span>
      </header>
      <p className="muted">
        Placed {formatMoment(order.createdAt)} · <code className="order-id">{order.id}</code>
        {isAdmin && (
          <>
            {' · '}
            <Link to={`/orders/${order.id}`} aria-label={`Open order ${shortId}`}>
              Open
            </Link>
          </>
        )}
      </p>
      {customer && (
        <p>
          Ships to {customer.recipient}, {customer.city}, {customer.country}
          {order.shippingMethod && (
            <span className="muted">
              {' '}
              · {order.shippingMethod.name} ({order.shippingMethod.carrier})
            </span>
          )}
        </p>
      )}
      {order.cancelReason && <p>Cancelled: {order.cancelReason}</p>}
      <ul className="managed-lines" aria-label={`Lines of order ${shortId}`}>
        {order.items.map((item, index) => (
          <li key={index}>
            {item.quantity} × {item.productName} <Money value={item.lineTotal} />
          </li>
        ))}
      </ul>
      <p>
        Order total <Money value={order.total} />
      </p>
      <ShipmentFacts parcel={order.fulfillment} />
      {action === 'PACK' && (
        <div className="row-actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() => run('Marking packed', () => pack({ variables: { orderId: order.id } }))}
          >
            Mark packed
          </button>
        </div>
      )}
      {action === 'SHIP' && (
        <ShipForm
          defaultCarrier={order.shippingMethod?.carrier ?? ''}
          disabled={busy}
          error={error}
          onShip={(carrier, trackingNumber) =>
            run('Marking shipped', () =>
              ship({ variables: { orderId: order.id, carrier, trackingNumber } }),
            )
          }
        />
      )}
      {action === 'DELIVER' && (
        <div className="row-actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() =>
              run('Marking delivered', () => deliver({ variables: { orderId: order.id } }))
            }
          >
            Mark delivered
          </button>
        </div>
      )}
      {order.returns.length > 0 && (
        <div className="managed-returns">
          <h3>Returns</h3>
          <ul className="returns">
            {order.returns.map((ret) => (
              <ManagedReturnItem key={ret.id} ret={ret} />
            ))}
          </ul>
          {order.returns
            .filter((ret) => isOpenReturn(ret.status))
            .map((ret) => (
              <ReturnActions key={ret.id} ret={ret} disabled={busy} run={run} />
            ))}
        </div>
      )}
      <p role="status" className="muted">
        {running ? `${running}…` : ''}
      </p>
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

function OrderManagement({ user }: { user: SessionUser }) {
  const [params] = useSearchParams();
  const isAdmin = user.role === 'ADMIN';
  const state = parseOrderList(params);
  // Only administrators may look customers up by e-mail (the API refuses sellers).
  if (!isAdmin) delete state.email;
  const { data, error, loading, refetch } = useQuery(ManageOrdersDocument, {
    variables: { filter: orderFilterOf(state), first: PAGE, after: state.after ?? null },
    fetchPolicy: 'cache-and-network',
  });
  const orders = data?.orders;
  const filtered = Object.keys(state).some((key) => key !== 'after');
  return (
    <>
      <Filters key={params.toString()} state={state} byEmail={isAdmin} />
      {user.role === 'SELLER' && (
        <p className="muted">
          You see the orders that hold your products, with only your own lines.
        </p>
      )}
      {error && <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />}
      {!orders && loading && <Loading what="Loading orders…" />}
      {orders && (
        <>
          <p className="muted" role="status" data-testid="manage-count">
            {orders.totalCount} order{orders.totalCount === 1 ? '' : 's'}
            {filtered ? ` ${orders.totalCount === 1 ? 'matches' : 'match'} the filters` : ''}
          </p>
          {orders.edges.length === 0 ? (
            <p className="empty">No orders here.</p>
          ) : (
            <div className="managed-orders">
              {orders.edges.map(({ node }) => (
                <ManagedOrderCard key={node.id} order={node} isAdmin={isAdmin} />
              ))}
            </div>
          )}
          {(state.after || orders.pageInfo.hasNextPage) && (
            <nav className="pager" aria-label="Pages">
              {state.after && (
                <Link to={href({ ...state, after: undefined })} className="button-secondary">
                  ← First page
                </Link>
              )}
              {orders.pageInfo.hasNextPage && orders.pageInfo.endCursor && (
                <Link
                  to={href({ ...state, after: orders.pageInfo.endCursor })}
                  className="button-secondary"
                  rel="next"
                >
                  Next page →
                </Link>
              )}
            </nav>
          )}
        </>
      )}
    </>
  );
}

export default function ManageOrders() {
  return (
    <section aria-labelledby="manage-title">
      <h1 id="manage-title">Manage orders</h1>
      <RequireSession roles={['SELLER', 'ADMIN']}>
        {(user) => <OrderManagement user={user} />}
      </RequireSession>
    </section>
  );
}
