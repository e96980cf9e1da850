/**
 * The idempotency key of a checkout attempt. `placeOrder(idempotencyKey)` returns the same
 * order for the same key, so every retry of one attempt (after a network error, a busy store,
 * a reload of the page) sends the same key and can never make a second order. A new attempt,
 * with a new key, starts when the cart changes or after an order was placed.
 */
export interface AttemptStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const STORAGE_KEY = 'tackle.checkout-attempt';

interface StoredAttempt {
  key: string;
  cart: string;
}

/** The cart's lines as a stable text: same lines and quantities, same fingerprint. */
export function cartFingerprint(lines: readonly { productId: string; quantity: number }[]): string {
  return lines
    .map((line) => `${line.productId}x${line.quantity}`)
    .sort()
    .join(',');
}

function read(storage: AttemptStorage): StoredAttempt | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredAttempt>;
    return typeof parsed.key === 'string' && typeof parsed.cart === 'string'
      ? { key: parsed.key, cart: parsed.cart }
      : null;
  } catch {
    return null;
  }
}

/** The key for checking out this cart: the pending attempt's, or a new one. */
export function attemptKey(storage: AttemptStorage, cart: string, newKey: () => string): string {
  const current = read(storage);
  if (current && current.cart === cart) return current.key;
  const key = newKey();
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ key, cart } satisfies StoredAttempt));
  } catch {
    // Storage full or blocked: the key still holds for this page's retries.
  }
  return key;
}

/** The attempt ended with an order: the next checkout is a new attempt. */
export function finishAttempt(storage: AttemptStorage): void {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** A key the API accepts (8-128 of A-Z a-z 0-9 . _ : -). */
export function newIdempotencyKey(random: () => string = () => crypto.randomUUID()): string {
  return `checkout:${random()}`;
}
