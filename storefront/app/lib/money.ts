/** Money as the contract sends it: a decimal string amount, never a float. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, format);
  }
  return format;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * "24.9" USD -> "$24.90". The amount goes to Intl as a string, which formats it exactly
 * (Intl.NumberFormat v3), so no binary float ever touches a price.
 */
export function formatMoney(money: MoneyValue, locale = 'en-US'): string {
  if (!DECIMAL.test(money.amount)) return `${money.amount} ${money.currency}`;
  try {
    return formatter(money.currency, locale).format(money.amount as unknown as number);
  } catch {
    // An unknown currency code: show what the API sent rather than nothing.
    return `${money.amount} ${money.currency}`;
  }
}

/**
 * A price the shopper typed ("12", "12.5", "12.50") as the API's decimal string, or null when it
 * is not a price. At most two fraction digits, no sign, no exponent.
 */
export function parsePriceInput(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return `${String(Number(whole))}.${fraction.padEnd(2, '0')}`;
}

/**
 * A decimal amount ("24.9", "-3.05") in minor units as a bigint, exactly (no float), for
 * comparing the API's figures; null when it is not a decimal with at most two fraction digits.
 */
export function toMinorUnits(amount: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** True when the amount is a decimal zero ("0", "0.00"). */
export const isZeroMoney = (money: MoneyValue): boolean => toMinorUnits(money.amount) === 0n;
