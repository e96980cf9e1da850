import { Link } from 'react-router';
import { isZeroMoney, type MoneyValue } from '../lib/money.ts';
import { Money } from './money.tsx';

export interface PricedLine {
  key: string;
  name: string;
  /** The product's page, when the line links to it. */
  href?: string;
  quantity: number;
  unitPrice: MoneyValue;
  lineTotal: MoneyValue;
  discount: MoneyValue;
  tax: MoneyValue;
}

/**
 * Lines with what the discount takes off each and the tax on each, as the API priced them (the
 * checkout's summary and the order page). Tax shows once it is known (`showTax`).
 */
export function OrderLines({
  lines,
  showTax,
  label,
  testId,
}: {
  lines: readonly PricedLine[];
  showTax: boolean;
  label: string;
  testId?: string;
}) {
  return (
    <ul className="lines" aria-label={label}>
      {lines.map((line) => (
        <li key={line.key} className="line" data-testid={testId}>
          <div className="line-info">
            <h3>{line.href ? <Link to={line.href}>{line.name}</Link> : line.name}</h3>
            <p className="muted">
              {line.quantity} × <Money value={line.unitPrice} />
              {!isZeroMoney(line.discount) && (
                <>
                  {' · '}
                  <span className="discount">
                    −<Money value={line.discount} /> discount
                  </span>
                </>
              )}
              {showTax && (
                <>
                  {' · '}
                  tax <Money value={line.tax} />
                </>
              )}
            </p>
          </div>
          <Money value={line.lineTotal} className="price" />
        </li>
      ))}
    </ul>
  );
}
