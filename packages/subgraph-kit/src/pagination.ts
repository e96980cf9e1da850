import { badUserInput } from './errors.ts';

export const MAX_PAGE_SIZE = 100;

/** Validates `first`: a whole number between 1 and MAX_PAGE_SIZE (default when omitted). */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return first;
}

/** Opaque cursors: base64url of a JSON tuple, so clients cannot depend on their shape. */
export function encodeCursor(parts: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(
  cursor: string | null | undefined,
  arity: number,
): (string | number | null)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === arity) return parts as (string | number | null)[];
  } catch {
    // falls through to the error below
  }
  throw badUserInput('after is not a valid cursor', 'after');
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Builds a connection from `limit + 1` fetched rows (the extra row only tells hasNextPage). */
export function toConnection<T>(
  rows: T[],
  limit: number,
  totalCount: number,
  cursorOf: (row: T) => string,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** Cursor of a list ordered by (createdAt desc, id desc): ties on time still page without gaps. */
export const timeIdCursor = (row: { createdAt: Date; id: string }) =>
  encodeCursor([row.createdAt.toISOString(), row.id]);

export function parseTimeIdCursor(
  after: string | null | undefined,
): { createdAt: Date; id: string } | null {
  const parts = decodeCursor(after, 2);
  if (!parts) return null;
  const [iso, id] = parts;
  const createdAt = new Date(String(iso));
  if (typeof id !== 'string' || Number.isNaN(createdAt.getTime()))
    throw badUserInput('after is not a valid cursor', 'after');
  return { createdAt, id };
}

/** Prisma `where` for the rows after a (createdAt, id) cursor in descending order. */
export function afterTimeId(after: { createdAt: Date; id: string } | null) {
  return after
    ? {
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: after.createdAt, id: { lt: after.id } },
        ],
      }
    : {};
}
