import type {
  EventOf,
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  OrderPlaced,
  OrderShipped,
  PaymentRefunded,
} from '@shop/events';
import { html } from './html.ts';
import { orderRef, page, productLabel, textPage, type Template } from './layout.ts';
import { formatMoney, type Money } from './money.ts';

type PlacedPayload = EventOf<typeof OrderPlaced>['payload'];

const lineTotal = (unit: Money, quantity: number): Money => ({
  amount: ((Math.round(Number(unit.amount) * 100) * quantity) / 100).toFixed(2),
  currency: unit.currency,
});

/** The totals rows: the checkout's breakdown when the event has it, the total alone otherwise. */
function totalsRows(data: PlacedPayload): [string, Money][] {
  const t = data.totals;
  if (!t) return [['Total', data.total]];
  const rows: [string, Money][] = [['Subtotal', t.subtotal]];
  if (Number(t.discount.amount) !== 0)
    rows.push([data.discountCode ? `Discount (${data.discountCode})` : 'Discount', t.discount]);
  rows.push(['Shipping', t.shipping]);
  rows.push([t.priceMode === 'GROSS' ? 'Tax (included)' : 'Tax', t.tax]);
  rows.push(['Total', data.total]);
  return rows;
}

/** OrderPlaced: what was ordered, line by line, and the totals. */
export const orderPlaced: Template<PlacedPayload> = (context) => {
  const { data } = context;
  const ref = orderRef(data.orderId);
  const title = `Thank you for your order ${ref}`;
  const lines = data.items.map((item) => ({
    name: productLabel(context, item.productId),
    quantity: item.quantity,
    unit: formatMoney(item.unitPrice),
    total: formatMoney(lineTotal(item.unitPrice, item.quantity)),
  }));
  const totals = totalsRows(data).map(([label, money]) => ({ label, value: formatMoney(money) }));
  const body = html`<p>
      We have received your order <strong>${ref}</strong> and are checking stock and payment. We
      will write again once it is confirmed.
    </p>
    <table style="width: 100%; border-collapse: collapse">
      <thead>
        <tr>
          <th align="left">Item</th>
          <th align="right">Qty</th>
          <th align="right">Price</th>
          <th align="right">Total</th>
        </tr>
      </thead>
      <tbody>
        ${lines.map(
          (l) =>
            html`<tr>
              <td>${l.name}</td>
              <td align="right">${l.quantity}</td>
              <td align="right">${l.unit}</td>
              <td align="right">${l.total}</td>
            </tr> `,
        )}
      </tbody>
      <tfoot>
        ${totals.map(
          (t) =>
            html`<tr>
              <td colspan="3" align="right">${t.label}</td>
              <td align="right">${t.value}</td>
            </tr> `,
        )}
      </tfoot>
    </table>`;
  return {
    subject: `Your order ${ref} has been placed`,
    html: page(context, title, body),
    text: textPage(context, [
      `We have received your order ${ref} and are checking stock and payment. We will write again once it is confirmed.`,
      '',
      ...lines.map((l) => `${l.quantity} x ${l.name} at ${l.unit} = ${l.total}`),
      '',
      ...totals.map((t) => `${t.label}: ${t.value}`),
    ]),
  };
};

/** OrderCompleted: the payment went through and the order is confirmed. */
export const orderConfirmed: Template<EventOf<typeof OrderCompleted>['payload']> = (context) => {
  const ref = orderRef(context.data.orderId);
  const total = formatMoney(context.data.total);
  return {
    subject: `Your order ${ref} is confirmed`,
    html: page(
      context,
      `Order ${ref} confirmed`,
      html`<p>
        Your payment of <strong>${total}</strong> for order <strong>${ref}</strong> went through and
        your order is confirmed. We are getting it ready to ship.
      </p>`,
    ),
    text: textPage(context, [
      `Your payment of ${total} for order ${ref} went through and your order is confirmed. We are getting it ready to ship.`,
    ]),
  };
};

/** OrderCancelled, with the reason the saga gave. */
export const orderCancelled: Template<EventOf<typeof OrderCancelled>['payload']> = (context) => {
  const ref = orderRef(context.data.orderId);
  const reason = context.data.reason;
  return {
    subject: `Your order ${ref} has been cancelled`,
    html: page(
      context,
      `Order ${ref} cancelled`,
      html`<p>Your order <strong>${ref}</strong> has been cancelled.</p>
        <p>Reason: ${reason}</p>
        <p>
          Nothing has been charged for it, or any payment is refunded (we send a separate email when
          it is).
        </p>`,
    ),
    text: textPage(context, [
      `Your order ${ref} has been cancelled.`,
      `Reason: ${reason}`,
      'Nothing has been charged for it, or any payment is refunded (we send a separate email when it is).',
    ]),
  };
};

/** PaymentRefunded: the payment of a cancelled order went back. */
export const orderRefunded: Template<EventOf<typeof PaymentRefunded>['payload']> = (context) => {
  const ref = orderRef(context.data.orderId);
  const amount = formatMoney(context.data.amount);
  return {
    subject: `Refund of ${amount} for order ${ref}`,
    html: page(
      context,
      `Refund for order ${ref}`,
      html`<p>
        We have refunded <strong>${amount}</strong> for order <strong>${ref}</strong> to your
        original payment method (payment ${context.data.paymentId}). Depending on your bank it shows
        within a few days.
      </p>`,
    ),
    text: textPage(context, [
      `We have refunded ${amount} for order ${ref} to your original payment method (payment ${context.data.paymentId}). Depending on your bank it shows within a few days.`,
    ]),
  };
};

/** OrderShipped: the parcel left, with its carrier, tracking number and expected day. */
export const orderShipped: Template<EventOf<typeof OrderShipped>['payload']> = (context) => {
  const ref = orderRef(context.data.orderId);
  const { carrier, trackingNumber, estimatedDelivery } = context.data;
  const expected = estimatedDelivery ? `It should arrive by ${estimatedDelivery}.` : '';
  return {
    subject: `Your order ${ref} has shipped`,
    html: page(
      context,
      `Order ${ref} is on its way`,
      html`<p>Your order <strong>${ref}</strong> has shipped with <strong>${carrier}</strong>.</p>
        <p>Tracking number: <strong>${trackingNumber}</strong></p>
        <p>${expected}</p>`,
    ),
    text: textPage(context, [
      `Your order ${ref} has shipped with ${carrier}.`,
      `Tracking number: ${trackingNumber}`,
      expected,
    ]),
  };
};

/** OrderDelivered: the parcel reached the customer. */
export const orderDelivered: Template<EventOf<typeof OrderDelivered>['payload']> = (context) => {
  const ref = orderRef(context.data.orderId);
  return {
    subject: `Your order ${ref} has been delivered`,
    html: page(
      context,
      `Order ${ref} delivered`,
      html`<p>
        Your order <strong>${ref}</strong> has been delivered. Tight lines! If something is not
        right, reply to this email.
      </p>`,
    ),
    text: textPage(context, [
      `Your order ${ref} has been delivered. Tight lines! If something is not right, reply to this email.`,
    ]),
  };
};
