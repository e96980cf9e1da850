import type { OrderSnapshotFragment, OrderTrackingFragment } from '../graphql/generated.ts';
import { formatDays } from '../lib/checkout.ts';
import { isZeroMoney } from '../lib/money.ts';
import { AddressBlock } from './address-block.tsx';
import { Money } from './money.tsx';
import { OrderLines } from './order-lines.tsx';
import { TotalsBreakdown } from './totals-breakdown.tsx';

/**
 * What the order kept when it was placed: where it ships, how, at what price and estimate, the
 * code, the lines with their discount and tax, and the totals. Later changes to the address
 * book, rates or codes do not show here. Orders from before the checkout have no address or
 * method; their delivery part is left out.
 */
export function OrderSnapshotView({
  order,
}: {
  order: Pick<OrderTrackingFragment, 'items'> & OrderSnapshotFragment;
}) {
  const option = order.shippingOption;
  const method = option?.method ?? order.shippingMethod;
  return (
    <>
      {(order.shippingAddress || method) && (
        <div className="delivery" data-testid="order-delivery">
          {order.shippingAddress && (
            <div>
              <h2>Ships to</h2>
              <AddressBlock address={order.shippingAddress} testId="order-address" />
            </div>
          )}
          {method && (
            <div>
              <h2>Shipping</h2>
              <p data-testid="order-method">
                {method.name} <span className="muted">({method.carrier})</span>
                {option && (
                  <>
                    <br />
                    {isZeroMoney(option.price) ? 'Free' : <Money value={option.price} />}
                    {' · '}
                    estimated {formatDays(option.estimatedDays)}
                  </>
                )}
              </p>
              {order.discountCode && (
                <p data-testid="order-code">
                  Discount code <strong>{order.discountCode}</strong>
                </p>
              )}
            </div>
          )}
        </div>
      )}
      <h2>Items</h2>
      <OrderLines
        label="Ordered items"
        testId="order-line"
        showTax={order.shippingAddress !== null}
        lines={order.items.map((item, i) => ({
          key: `${item.product.id}-${i}`,
          name: item.product.name || item.productName,
          href: `/products/${item.product.id}`,
          quantity: item.quantity,
          unitPrice: item.unitPrice,
          lineTotal: item.lineTotal,
          discount: item.discount,
          tax: item.tax,
        }))}
      />
      <TotalsBreakdown
        totals={order.totals}
        discountCode={order.discountCode}
        hasAddress
        hasMethod
        testIdPrefix="order"
      />
    </>
  );
}
