/** Money as the events carry it: a decimal string and an ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

// One formatter per currency: building an Intl.NumberFormat loads locale data each time, and
// was the worker's hottest function of its own (every email formats a dozen amounts).
const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterOf(currency: string): Intl.NumberFormat | null {
  let formatter = formatters.get(currency);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat('en-IE', { style: 'currency', currency });
    } catch {
      formatter = null;
    }
    // Codes come from validated events (three letters), so the map stays small.
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** "€12.50", "$3.00"; the code itself where the runtime knows no symbol ("12.50 XYZ"). */
export function formatMoney(money: Money): string {
  const formatter = formatterOf(money.currency);
  return formatter ? formatter.format(Number(money.amount)) : `${money.amount} ${money.currency}`;
}
