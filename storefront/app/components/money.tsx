import { formatMoney, type MoneyValue } from '../lib/money.ts';

export function Money({ value, className }: { value: MoneyValue; className?: string }) {
  return <span className={className ?? 'money'}>{formatMoney(value)}</span>;
}
