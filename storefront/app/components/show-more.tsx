import { useState } from 'react';

/**
 * "Show more" for a list that grows in place: the next page merges into the list the cache
 * already holds (a relayStylePagination type policy), so the shopper keeps their place.
 */
export function ShowMore({ label, load }: { label: string; load: () => Promise<unknown> }) {
  const [loading, setLoading] = useState(false);
  return (
    <p>
      <button
        type="button"
        className="button-secondary"
        disabled={loading}
        onClick={() => {
          setLoading(true);
          load()
            .catch(() => undefined)
            .finally(() => setLoading(false));
        }}
      >
        {loading ? 'Loading…' : label}
      </button>
    </p>
  );
}
