import { badUserInput, decodeCursor, encodeCursor } from '@shop/subgraph-kit';

/** Cursor of a (createdAt, id)-ordered list. */
export const timeIdCursor = (row: { createdAt: Date; id: string }) =>
  encodeCursor([row.createdAt.toISOString(), row.id]);

export function parseTimeIdCursor(after: string | null | undefined): { createdAt: Date; id: string } | null {
  const parts = decodeCursor(after, 2);
  if (!parts) return null;
  const [iso, id] = parts;
  const createdAt = new Date(String(iso));
  if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw badUserInput('after is not a valid cursor', 'after');
  return { createdAt, id };
}
