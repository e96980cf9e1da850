import { isZeroMoney } from '../lib/money.ts';
import { taxIncluded, type TotalsValue } from '../lib/checkout.ts';
import { Money } from './money.tsx';

/**
 * Subtotal, discount, shipping, tax and total, as the API priced them (never added up here).
 * Before an address or a method is chosen, shipping and tax say when they will be known rather
 * than showing a zero that is not one.
 */
export function TotalsBreakdown({
  totals,
  discountCode,
  hasAddress,
  hasMethod,
  itemCount,
  testIdPrefix,
}: {
  totals: TotalsValue;
  discountCode?: string | null;
  hasAddress: boolean;
  hasMethod: boolean;
  itemCount?: number;
  /** `cart` gives cart-totals, cart-subtotal, cart-discount, ..., cart-total. */
  testIdPrefix: string;
}) {
  const included = taxIncluded(totals);
  const showDiscount = !isZeroMoney(totals.discount) || Boolean(discountCode);
  const id = (name: string) => `${testIdPrefix}-${name}`;
  return (
    <dl className="totals" data-testid={id('totals')}>
      <dt>
        Subtotal
        {itemCount !== undefined && (
          <span className="muted">
            {' '}
            ({itemCount} item{itemCount === 1 ? '' : 's'})
          </span>
        )}
      </dt>
      <dd data-testid={id('subtotal')}>
        <Money value={totals.subtotal} />
      </dd>
      {showDiscount && (
        <>
          <dt>Discount{discountCode && ` (${discountCode})`}</dt>
          <dd data-testid={id('discount')} className="discount">
            −<Money value={totals.discount} />
          </dd>
        </>
      )}
      <dt>Shipping</dt>
      <dd data-testid={id('shipping')}>
        {!hasMethod ? (
          <span className="muted">{hasAddress ? 'Choose a method' : 'At checkout'}</span>
        ) : isZeroMoney(totals.shipping) ? (
          'Free'
        ) : (
          <Money value={totals.shipping} />
        )}
      </dd>
      <dt>{included ? 'Tax included' : 'Tax'}</dt>
      <dd data-testid={id('tax')}>
        {hasAddress ? <Money value={totals.tax} /> : <span className="muted">At checkout</span>}
      </dd>
      <dt className="total">
        {!hasAddress
          ? 'Total before shipping and tax'
          : !hasMethod
            ? 'Total before shipping'
            : 'Total'}
      </dt>
      <dd className="total" data-testid={id('total')}>
        <Money value={totals.total} />
      </dd>
    </dl>
  );
}
