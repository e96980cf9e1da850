import { describe, expect, it } from 'vitest';
import {
  attemptKey,
  cartFingerprint,
  finishAttempt,
  newIdempotencyKey,
  type AttemptStorage,
} from '../app/lib/checkout-attempt.ts';

function memoryStorage(): AttemptStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('checkout attempts', () => {
  let n = 0;
  const fresh = () => `checkout:key-${++n}`;

  it('reuses the key of an unfinished attempt for the same cart (retries, reloads)', () => {
    const storage = memoryStorage();
    const cart = cartFingerprint([{ productId: 'p1', quantity: 2 }]);
    const first = attemptKey(storage, cart, fresh);
    expect(attemptKey(storage, cart, fresh)).toBe(first);
    expect(attemptKey(storage, cart, fresh)).toBe(first);
  });

  it('starts a new attempt when the cart changed, and after an order was placed', () => {
    const storage = memoryStorage();
    const a = attemptKey(storage, cartFingerprint([{ productId: 'p1', quantity: 1 }]), fresh);
    const b = attemptKey(storage, cartFingerprint([{ productId: 'p1', quantity: 2 }]), fresh);
    expect(b).not.toBe(a);
    finishAttempt(storage);
    const c = attemptKey(storage, cartFingerprint([{ productId: 'p1', quantity: 2 }]), fresh);
    expect(c).not.toBe(b);
  });

  it('fingerprints carts by their lines, whatever their order', () => {
    expect(
      cartFingerprint([
        { productId: 'b', quantity: 1 },
        { productId: 'a', quantity: 3 },
      ]),
    ).toBe(
      cartFingerprint([
        { productId: 'a', quantity: 3 },
        { productId: 'b', quantity: 1 },
      ]),
    );
  });

  it('survives broken storage: a corrupt entry starts a new attempt, a full one still gives a key', () => {
    const storage = memoryStorage();
    storage.data.set('tackle.checkout-attempt', '{not json');
    expect(attemptKey(storage, 'x', fresh)).toMatch(/^checkout:key-/);
    const full: AttemptStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(attemptKey(full, 'x', fresh)).toMatch(/^checkout:key-/);
  });

  it('makes keys the API accepts', () => {
    const key = newIdempotencyKey(() => '0b9c2a52-7f0e-4c1e-9a53-1d2f3e4a5b6c');
    expect(key).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });
});
