/**
 * Where to go after signing in: only a path of this site (`/orders/1`), never another origin
 * (`//evil.example`, `https://…`, `/\evil`), so a crafted sign-in link cannot send a shopper
 * away.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return fallback;
  // Control characters (a tab or newline inside `/\t/evil`) are dropped by URL parsers.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  return next;
}
