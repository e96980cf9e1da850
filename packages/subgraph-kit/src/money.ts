/** The contract's Money: a decimal string amount (never a float) and an ISO 4217 currency. */
export interface Money {
  amount: string;
  currency: string;
}

export function money(
  amount: { toFixed(digits: number): string } | string,
  currency: string,
): Money {
  return { amount: typeof amount === 'string' ? amount : amount.toFixed(2), currency };
}
