/**
 * Typed parsers for environment settings. Each returns a value or throws a short problem text;
 * loadConfig() turns those into one ConfigError that names every bad setting.
 */
export interface Setting<T> {
  parse(raw: string | undefined): T;
  /** Secrets are never echoed back in error messages. */
  secret?: boolean;
}

class Problem extends Error {}
export const isProblem = (error: unknown): error is Problem => error instanceof Problem;

function required(raw: string | undefined, fallback: string | undefined): string {
  const value = raw === undefined || raw === '' ? fallback : raw;
  if (value === undefined) throw new Problem('is required but not set');
  return value;
}

export function str(
  options: { default?: string; min?: number; max?: number } = {},
): Setting<string> {
  return {
    parse(raw) {
      const value = required(raw, options.default);
      if (options.min !== undefined && value.length < options.min)
        throw new Problem(`must be at least ${options.min} characters`);
      if (options.max !== undefined && value.length > options.max)
        throw new Problem(`must be at most ${options.max} characters`);
      return value;
    },
  };
}

export function oneOf<const T extends string>(values: readonly T[], fallback?: T): Setting<T> {
  return {
    parse(raw) {
      const value = required(raw, fallback);
      if (!(values as readonly string[]).includes(value))
        throw new Problem(`must be one of ${values.join(', ')} (got "${value}")`);
      return value as T;
    },
  };
}

export function int(
  options: { default?: number; min?: number; max?: number } = {},
): Setting<number> {
  return {
    parse(raw) {
      const value = required(raw, options.default?.toString());
      if (!/^-?\d+$/.test(value)) throw new Problem(`must be a whole number (got "${value}")`);
      const n = Number(value);
      if (options.min !== undefined && n < options.min)
        throw new Problem(`must be >= ${options.min}`);
      if (options.max !== undefined && n > options.max)
        throw new Problem(`must be <= ${options.max}`);
      return n;
    },
  };
}

/** A probability or share: a decimal number from 0 to 1 (chaos switches, decline rates). */
export function fraction(fallback?: number): Setting<number> {
  return {
    parse(raw) {
      const value = required(raw, fallback?.toString()).trim();
      const n = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
      if (!(n >= 0 && n <= 1)) throw new Problem(`must be a number from 0 to 1 (got "${value}")`);
      return n;
    },
  };
}

export function port(fallback?: number): Setting<number> {
  return int({ ...(fallback === undefined ? {} : { default: fallback }), min: 0, max: 65535 });
}

export function bool(fallback?: boolean): Setting<boolean> {
  return {
    parse(raw) {
      const value = required(raw, fallback?.toString()).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      throw new Problem(`must be true or false (got "${value}")`);
    },
  };
}

/** A URL whose scheme is one of `protocols` (without the colon). Credentials are not echoed. */
export function url(protocols: string[], fallback?: string): Setting<string> {
  return {
    parse(raw) {
      const value = required(raw, fallback);
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new Problem(`must be a ${protocols[0]}:// URL`);
      }
      if (!protocols.includes(parsed.protocol.replace(/:$/, '')))
        throw new Problem(`must be a ${protocols.join('/')}:// URL (got ${parsed.protocol}//...)`);
      if (!parsed.hostname) throw new Problem('must name a host');
      return value;
    },
  };
}

/** Comma-separated list, e.g. Kafka brokers `host:port,host:port`. */
export function hostPortList(fallback?: string): Setting<string[]> {
  return {
    parse(raw) {
      const items = required(raw, fallback)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length === 0) throw new Problem('must list at least one host:port');
      for (const item of items)
        if (!/^[\w.-]+:\d{1,5}$/.test(item)) throw new Problem(`has "${item}", expected host:port`);
      return items;
    },
  };
}

/** Comma-separated names (lower case, digits, `-`), each once, e.g. `saga,relay-order`. */
export function nameList(fallback?: string): Setting<string[]> {
  return {
    parse(raw) {
      const items = required(raw, fallback)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length === 0) throw new Problem('must list at least one name');
      for (const item of items)
        if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(item))
          throw new Problem(`has "${item}", expected a lower-case name like relay-order`);
      const repeated = items.find((item, i) => items.indexOf(item) !== i);
      if (repeated) throw new Problem(`names "${repeated}" twice`);
      return items;
    },
  };
}

/**
 * Comma-separated `name=whole number` pairs, for example `Query.categories=50,Category.children=10`;
 * empty means none. Names are free text without `=` or `,`; each number is checked like int().
 */
export function namedInts(
  options: { default?: string; min?: number; max?: number } = {},
): Setting<Record<string, number>> {
  const count = int({
    ...(options.min === undefined ? {} : { min: options.min }),
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  return {
    parse(raw) {
      const value = raw === undefined || raw === '' ? (options.default ?? '') : raw;
      const entries: Record<string, number> = {};
      for (const item of value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const match = /^([^=]+)=(.*)$/.exec(item);
        if (!match) throw new Problem(`has "${item}", expected name=number`);
        const name = match[1]!.trim();
        try {
          entries[name] = count.parse(match[2]!.trim());
        } catch (error) {
          throw new Problem(`${name} ${(error as Error).message}`);
        }
      }
      return entries;
    },
  };
}

export function secret(options: { min?: number } = {}): Setting<string> {
  const min = options.min ?? 32;
  return {
    secret: true,
    parse(raw) {
      if (raw === undefined || raw === '') throw new Problem('is required but not set');
      if (raw.length < min) throw new Problem(`must be at least ${min} characters`);
      return raw;
    },
  };
}

/**
 * Comma-separated secrets, each at least `min` characters (none when empty): tokens of several
 * clients, rotated one at a time. Never shown in errors.
 */
export function secretList(options: { min?: number } = {}): Setting<string[]> {
  const min = options.min ?? 32;
  return {
    secret: true,
    parse(raw) {
      const items = (raw ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      items.forEach((item, i) => {
        if (item.length < min)
          throw new Problem(`has a secret (number ${i + 1}) under ${min} characters`);
      });
      return items;
    },
  };
}

export function optional<T>(setting: Setting<T>): Setting<T | undefined> {
  return {
    ...setting,
    parse: (raw) => (raw === undefined || raw === '' ? undefined : setting.parse(raw)),
  };
}
