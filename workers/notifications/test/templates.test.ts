import { describe, expect, it } from 'vitest';
import { EMAILS, emailOfEvent } from '../src/emails.ts';
import { messageIdOf } from '../src/sender.ts';
import { escapeHtml, html } from '../src/templates/html.ts';
import type { TemplateContext } from '../src/templates/layout.ts';
import {
  orderCancelled,
  orderConfirmed,
  orderDelivered,
  orderPlaced,
  orderRefunded,
  orderShipped,
} from '../src/templates/orders.ts';

const ORDER = '3f2a9c1e-0000-4000-8000-000000000001';
const USER = '3f2a9c1e-0000-4000-8000-000000000002';
const P1 = '3f2a9c1e-0000-4000-8000-000000000011';
const P2 = '3f2a9c1e-0000-4000-8000-000000000012';
const eur = (amount: string) => ({ amount, currency: 'EUR' });

function context<P>(data: P, names: Record<string, string> = {}): TemplateContext<P> {
  return {
    customer: { name: 'Ann <Angler>', email: 'ann@example.com' },
    data,
    productName: (id) => names[id],
    shop: { name: 'Tackle Shop', url: 'http://127.0.0.1:3000' },
  };
}

const placed = {
  orderId: ORDER,
  userId: USER,
  items: [
    { productId: P1, quantity: 2, unitPrice: eur('12.50') },
    { productId: P2, quantity: 1, unitPrice: eur('3.99') },
  ],
  total: eur('30.64'),
  totals: {
    subtotal: eur('28.99'),
    discount: eur('-2.90'),
    shipping: eur('4.55'),
    tax: eur('5.50'),
    priceMode: 'GROSS' as const,
  },
  discountCode: 'SPRING10',
};

describe('html', () => {
  it('escapes every interpolated value, and only once', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${['<', html`<br />`]}${null}${3}</p>`.value).toBe(
      '<p><b>&lt;i&gt;</b>&lt;<br />3</p>',
    );
  });
});

describe('order placed', () => {
  const email = orderPlaced(
    context(placed, { [P1]: 'Carbon rod <script>alert(1)</script>', [P2]: 'Hooks & swivels' }),
  );

  it('lists the lines with quantities, unit prices and line totals, and the totals', () => {
    expect(email.subject).toBe('Your order 3F2A9C1E has been placed');
    expect(email.text).toContain('2 x Carbon rod <script>alert(1)</script> at €12.50 = €25.00');
    expect(email.text).toContain('1 x Hooks & swivels at €3.99 = €3.99');
    for (const line of [
      'Subtotal: €28.99',
      'Discount (SPRING10): -€2.90',
      'Shipping: €4.55',
      'Tax (included): €5.50',
      'Total: €30.64',
    ])
      expect(email.text).toContain(line);
    expect(email.html).toContain('<td align="right">€25.00</td>');
    expect(email.html).toContain('<td align="right">€30.64</td>');
  });

  it('escapes product and customer names in the HTML part', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Carbon rod &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Hooks &amp; swivels');
    expect(email.html).toContain('Hello Ann &lt;Angler&gt;,');
    expect(email.text).toContain('Hello Ann <Angler>,');
  });

  it('names an unknown product by its id, and shows the total alone for an order without totals', () => {
    const old = orderPlaced(context({ ...placed, totals: undefined, discountCode: undefined }));
    expect(old.text).toContain('2 x Product 3f2a9c1e at €12.50');
    expect(old.text).toContain('Total: €30.64');
    expect(old.text).not.toContain('Subtotal');
  });
});

describe('order confirmed, cancelled, refunded', () => {
  it('confirmed: the amount paid', () => {
    const email = orderConfirmed(context({ orderId: ORDER, userId: USER, total: eur('30.64') }));
    expect(email.subject).toBe('Your order 3F2A9C1E is confirmed');
    expect(email.text).toContain('Your payment of €30.64 for order 3F2A9C1E went through');
  });

  it('cancelled: the reason, escaped in HTML', () => {
    const email = orderCancelled(
      context({
        orderId: ORDER,
        userId: USER,
        reason: 'out of stock: <b>rod</b>',
        previousStatus: 'PENDING',
      }),
    );
    expect(email.subject).toBe('Your order 3F2A9C1E has been cancelled');
    expect(email.text).toContain('Reason: out of stock: <b>rod</b>');
    expect(email.html).toContain('Reason: out of stock: &lt;b&gt;rod&lt;/b&gt;');
  });

  it('refunded: the amount and the payment', () => {
    const email = orderRefunded(
      context({ orderId: ORDER, paymentId: 'pay_1', amount: eur('30.64') }),
    );
    expect(email.subject).toBe('Refund of €30.64 for order 3F2A9C1E');
    expect(email.text).toContain('We have refunded €30.64 for order 3F2A9C1E');
    expect(email.html).toContain('payment pay_1');
  });

  it('every email has an HTML and a text part', () => {
    for (const spec of EMAILS) expect(typeof spec.template, spec.kind).toBe('function');
    expect(emailOfEvent('OrderCompleted')?.kind).toBe('order-confirmed');
    expect(emailOfEvent('PaymentRefunded')?.kind).toBe('order-refunded');
    expect(emailOfEvent('PaymentAuthorized')).toBeUndefined();
  });
});

it('the Message-ID is the event id at the sender domain', () => {
  expect(messageIdOf(ORDER, 'Tackle Shop <orders@tackle.shop>')).toBe(`<${ORDER}@tackle.shop>`);
});

describe('shipped and delivered', () => {
  it('names the carrier, the tracking number (escaped) and the expected day', () => {
    const email = orderShipped(
      context({
        orderId: ORDER,
        userId: USER,
        by: 'SELLER' as const,
        carrier: 'DHL <Express>',
        trackingNumber: 'JD014600<b>',
        estimatedDelivery: '2026-12-04',
      }),
    );
    expect(email.subject).toMatch(/has shipped/);
    expect(email.html).toContain('DHL &lt;Express&gt;');
    expect(email.html).toContain('JD014600&lt;b&gt;');
    expect(email.html).not.toContain('<Express>');
    expect(email.text).toContain('Tracking number: JD014600<b>');
    expect(email.text).toContain('It should arrive by 2026-12-04.');
  });

  it('says when the parcel arrived', () => {
    const email = orderDelivered(context({ orderId: ORDER, userId: USER, by: 'CARRIER' as const }));
    expect(email.subject).toMatch(/has been delivered/);
    expect(email.text).toMatch(/has been delivered/);
  });

  it('are sent for the fulfilment events', () => {
    expect(emailOfEvent('OrderShipped')?.kind).toBe('order-shipped');
    expect(emailOfEvent('OrderDelivered')?.kind).toBe('order-delivered');
    expect(new Set(EMAILS.map((e) => e.kind)).size).toBe(EMAILS.length);
  });
});
