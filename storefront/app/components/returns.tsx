import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import {
  RequestReturnDocument,
  type ReturnFieldsFragment,
  type ReturnLineInput,
} from '../graphql/generated.ts';
import { formatMoment } from '../lib/dates.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { RETURN_LABELS, returnableUnits } from '../lib/fulfillment.ts';
import { ErrorNotice } from './error-notice.tsx';
import { Money } from './money.tsx';

const MAX_REASON = 500;

interface ReturnableItem {
  productName: string;
  quantity: number;
  product: { id: string };
}

/**
 * The shopper's "Return items" form on a delivered order: per line how many units go back (up
 * to what was bought, less what earlier returns took), and why. The API has the last word:
 * its refusal (the window closed, a return already open) is shown as it words it.
 */
export function ReturnForm({
  orderId,
  items,
  returns,
}: {
  orderId: string;
  items: readonly ReturnableItem[];
  returns: readonly ReturnFieldsFragment[];
}) {
  const titleId = useId();
  const [request, { loading }] = useMutation(RequestReturnDocument, {
    // The order's fulfilment and its returns change: the page reads them again (the live
    // events bring them too, this covers a page whose socket is reconnecting).
    refetchQueries: ['OrderPage'],
  });
  const [error, setError] = useState<ShopError | null>(null);
  const [sent, setSent] = useState(false);
  const left = returnableUnits(items, returns);
  const lines = items.filter((item) => (left.get(item.product.id) ?? 0) > 0);
  if (lines.length === 0) return null;
  return (
    <form
      className="form return-form"
      aria-labelledby={titleId}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const chosen: ReturnLineInput[] = [];
        for (const item of lines) {
          const quantity = Number(form.get(`quantity-${item.product.id}`) ?? 0);
          if (Number.isInteger(quantity) && quantity > 0)
            chosen.push({ productId: item.product.id, quantity });
        }
        const reason = String(form.get('reason') ?? '').trim();
        setSent(false);
        if (chosen.length === 0) {
          setError({
            code: 'BAD_USER_INPUT',
            message: 'Choose at least one unit to return.',
            field: 'lines',
          });
          return;
        }
        if (!reason) {
          setError({
            code: 'BAD_USER_INPUT',
            message: 'Tell us why you are returning the items.',
            field: 'reason',
          });
          return;
        }
        setError(null);
        request({ variables: { orderId, lines: chosen, reason } }).then(
          () => setSent(true),
          (err: unknown) => setError(describeError(err)),
        );
      }}
    >
      <h2 id={titleId}>Return items</h2>
      <p className="muted">Choose how many units of each product you send back, and why.</p>
      {lines.map((item) => {
        const max = left.get(item.product.id) ?? 0;
        return (
          <QuantityField
            key={item.product.id}
            name={`quantity-${item.product.id}`}
            label={`Units of ${item.productName} to return`}
            max={max}
            invalid={error?.field?.startsWith('lines') === true}
          />
        );
      })}
      <ReasonField invalid={error?.field === 'reason'} />
      {error && <ErrorNotice error={error} />}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={loading}>
          {loading ? 'Sending…' : 'Request return'}
        </button>
        <span role="status">
          {sent && <span className="ok">Your return request was sent.</span>}
        </span>
      </div>
    </form>
  );
}

function QuantityField({
  name,
  label,
  max,
  invalid,
}: {
  name: string;
  label: string;
  max: number;
  invalid: boolean;
}) {
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        step={1}
        defaultValue={0}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="hint">
        Up to {max}
      </p>
    </div>
  );
}

function ReasonField({ invalid }: { invalid: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Reason for the return</label>
      <textarea
        id={id}
        name="reason"
        rows={3}
        maxLength={MAX_REASON}
        required
        aria-invalid={invalid || undefined}
      />
    </div>
  );
}

/** Returns of an order with their status, lines, refund and, when refused, why. */
export function ReturnList({
  returns,
  title = 'Returns',
}: {
  returns: readonly ReturnFieldsFragment[];
  title?: string;
}) {
  const titleId = useId();
  if (returns.length === 0) return null;
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <ul className="returns">
        {returns.map((ret) => (
          <ReturnItem key={ret.id} ret={ret} />
        ))}
      </ul>
    </section>
  );
}

export function ReturnItem({ ret }: { ret: ReturnFieldsFragment }) {
  return (
    <li className="return" data-testid="return" data-return-id={ret.id}>
      <p>
        <span
          className={`status status-${ret.status}`}
          data-testid="return-status"
          aria-live="polite"
        >
          {ret.status}
        </span>{' '}
        <span className="muted">
          {RETURN_LABELS[ret.status]} · asked for {formatMoment(ret.createdAt)}
        </span>
      </p>
      <ul className="return-lines" aria-label="Returned units">
        {ret.lines.map((line) => (
          <li key={line.product.id}>
            {line.quantity} × {line.productName} <Money value={line.refund} />
          </li>
        ))}
      </ul>
      <p>Reason: {ret.reason}</p>
      {ret.refund && (
        <p data-testid="return-refund">
          Refund: <Money value={ret.refund} />
        </p>
      )}
      {ret.rejectionReason && <p data-testid="return-rejection">Rejected: {ret.rejectionReason}</p>}
    </li>
  );
}
