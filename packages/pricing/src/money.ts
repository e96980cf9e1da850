/**
 * The contract's Money: a decimal string amount (never a float) and an ISO 4217 currency with
 * two minor digits. The one parser and formatter of it for the whole repo (the subgraph kit
 * re-exports this module).
 *
 * Two integer forms, one conversion each way:
 * - `toCents`/`fromCents`: bigint cents, for sums over arbitrary many amounts;
 * - `toMinorUnits`/`fromMinorUnits`: safe-integer cents (`number`), the form of every amount in
 *   the pricing model, because checkout snapshots are stored as JSON and bigint is not JSON.
 *   Crossing 2^53 is refused (MoneyError), never rounded.
 */
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

const AMOUNT = /^(\d{1,15})(?:\.(\d{1,2}))?$/;
const CURRENCY = /^[A-Z]{3}$/;

export class MoneyError extends Error {}

export function toCents(amount: string): bigint {
  const match = AMOUNT.exec(amount);
  if (!match) throw new MoneyError(`not a money amount: "${amount}"`);
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: bigint, currency: string): Money {
  if (cents < 0n) throw new MoneyError('negative money amount');
  if (!CURRENCY.test(currency)) throw new MoneyError(`not a currency code: "${currency}"`);
  return { amount: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`, currency };
}

/** Unit price times a whole quantity. */
export function multiply(unit: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity) || quantity < 0)
    throw new MoneyError(`not a quantity: ${quantity}`);
  return fromCents(toCents(unit.amount) * BigInt(quantity), unit.currency);
}

/** Sum of amounts in one currency; an empty sum is zero in `emptyCurrency`. */
export function sum(amounts: readonly Money[], emptyCurrency: string): Money {
  const currency = amounts[0]?.currency ?? emptyCurrency;
  let total = 0n;
  for (const m of amounts) {
    if (m.currency !== currency)
      throw new MoneyError(`cannot add ${m.currency} to ${currency} in one total`);
    total += toCents(m.amount);
  }
  return fromCents(total, currency);
}

/**
 * A decimal string as safe-integer minor units ("12.5" -> 1250): the pricing model's form.
 * Parsed by toCents, so both forms accept exactly the same strings.
 */
export function toMinorUnits(amount: string): number {
  const cents = toCents(amount);
  if (cents > BigInt(Number.MAX_SAFE_INTEGER))
    throw new MoneyError(`money amount too large: "${amount}"`);
  return Number(cents);
}

/** Safe-integer minor units as the contract's Money (1250, "EUR" -> "12.50" EUR). */
export function fromMinorUnits(minorUnits: number, currency: string): Money {
  if (!Number.isSafeInteger(minorUnits))
    throw new MoneyError(`not a whole number of minor units: ${minorUnits}`);
  return fromCents(BigInt(minorUnits), currency);
}
