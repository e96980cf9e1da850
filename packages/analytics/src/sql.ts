import { toClickHouseDateTime } from './rows.ts';

/*
 * ClickHouse 18.16 has no server-side query parameters ({name:Type} came in 19.x), so values are
 * spliced into SQL. Only values that were checked to be UUIDs, whole numbers or dates get in.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidList(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  return ids.map((id) => `toUUID('${id.toLowerCase()}')`).join(', ');
}

export function dateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('invalid date');
  return `toDateTime('${toClickHouseDateTime(date)}')`;
}

export function wholeNumber(n: number, min: number, max: number): string {
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`expected a whole number in ${min}..${max}, got ${n}`);
  return String(n);
}
