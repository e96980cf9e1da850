/** Money as the events carry it: a decimal string and an ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

/** "€12.50", "$3.00"; the code itself where the runtime knows no symbol ("12.50 XYZ"). */
export function formatMoney(money: Money): string {
  try {
    return new Intl.NumberFormat('en-IE', { style: 'currency', currency: money.currency }).format(
      Number(money.amount),
    );
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}
