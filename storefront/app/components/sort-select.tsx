import { useId } from 'react';
import { useNavigate } from 'react-router';
import type { ProductSort } from '../graphql/generated.ts';
import {
  DEFAULT_SORT,
  listingSearch,
  SORTS,
  withChange,
  type ListingState,
} from '../lib/listing-url.ts';

export function SortSelect({ path, state }: { path: string; state: ListingState }) {
  const navigate = useNavigate();
  const id = useId();
  return (
    <div className="sort">
      <label htmlFor={id}>Sort by</label>
      <select
        id={id}
        value={state.sort ?? DEFAULT_SORT}
        onChange={(event) => {
          const search = listingSearch(
            withChange(state, { sort: event.target.value as ProductSort }),
          );
          navigate(search ? `${path}?${search}` : path);
        }}
      >
        {SORTS.map((sort) => (
          <option key={sort.value} value={sort.value}>
            {sort.label}
          </option>
        ))}
      </select>
    </div>
  );
}
