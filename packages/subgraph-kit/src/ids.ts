import { badUserInput } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entity ids are UUIDs; anything else is the caller's mistake, reported before any query runs. */
export function parseId(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw badUserInput(`${field} is not a valid id`, field);
  return value.toLowerCase();
}

export const isId = (value: string): boolean => UUID.test(value);
