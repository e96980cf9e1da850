/**
 * Subgraph answers are parsed JSON, so their objects inherit from Object.prototype: a response
 * name such as `constructor` or an alias `__proto__` would read (or, for `__proto__`, write)
 * the prototype instead of the answer. Reads and writes of such names go through these.
 * (Checked per key on the hot path: a string comparison, and a typeof, since every inherited
 * member but `__proto__` is a function and JSON never holds one.)
 */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

export const isPrototypeName = (key: string): boolean => PROTOTYPE_NAMES.has(key);

export function readOwn(object: Record<string, unknown>, key: string): unknown {
  if (key === '__proto__') return Object.hasOwn(object, key) ? object[key] : undefined;
  const value = object[key];
  return typeof value === 'function' ? undefined : value;
}

export function writeOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else object[key] = value;
}
