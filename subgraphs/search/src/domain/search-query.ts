/** Longest accepted query; longer text is a client mistake, not a search. */
export const MAX_QUERY_LENGTH = 200;
/** Deep paging costs Elasticsearch O(from + size); past this, clients should narrow the query. */
export const MAX_RESULT_WINDOW = 10_000;

export type QueryProblem = 'empty' | 'too-long';

export function normalizeQuery(
  query: string,
): { ok: true; query: string } | { ok: false; problem: QueryProblem } {
  const trimmed = query.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) return { ok: false, problem: 'empty' };
  if (trimmed.length > MAX_QUERY_LENGTH) return { ok: false, problem: 'too-long' };
  return { ok: true, query: trimmed };
}
