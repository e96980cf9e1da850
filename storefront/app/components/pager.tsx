import { Link } from 'react-router';
import { listingSearch, withChange, type ListingState } from '../lib/listing-url.ts';

/**
 * Forward cursor paging with the cursor in the URL (a shared link opens the same page); the
 * browser's back button returns to earlier pages.
 */
export function Pager({
  path,
  state,
  pageInfo,
}: {
  path: string;
  state: ListingState;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}) {
  const href = (s: ListingState) => {
    const search = listingSearch(s);
    return search ? `${path}?${search}` : path;
  };
  if (!state.after && !pageInfo.hasNextPage) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {state.after && (
        <Link to={href(withChange(state, {}))} className="button-secondary">
          ← First page
        </Link>
      )}
      {pageInfo.hasNextPage && pageInfo.endCursor && (
        <Link
          to={href(withChange(state, { after: pageInfo.endCursor }))}
          className="button-secondary"
          rel="next"
        >
          Next page →
        </Link>
      )}
    </nav>
  );
}
