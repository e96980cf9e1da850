import { useId } from 'react';
import { Form, useNavigate } from 'react-router';
import { listingSearch, parseListing, type ListingState } from '../lib/listing-url.ts';

/**
 * Price range, stock and text filters as a GET form: it works before the page's scripts load,
 * and with them it navigates to the canonical URL (empty fields dropped, back to page one).
 */
export function FilterForm({
  path,
  state,
  showText,
}: {
  path: string;
  state: ListingState;
  showText: boolean;
}) {
  const navigate = useNavigate();
  const id = useId();
  return (
    <Form
      method="get"
      action={path}
      className="filters"
      aria-label="Filters"
      onSubmit={(event) => {
        event.preventDefault();
        const params = new URLSearchParams(
          new FormData(event.currentTarget) as unknown as Record<string, string>,
        );
        const next = parseListing(params);
        if (state.categoryId) next.categoryId = state.categoryId;
        if (state.sort) next.sort = state.sort;
        if (!showText && state.text) next.text = state.text;
        const search = listingSearch(next);
        navigate(search ? `${path}?${search}` : path);
      }}
    >
      <fieldset>
        <legend>Price</legend>
        <div className="price-range">
          <label htmlFor={`${id}-min`}>From</label>
          <input
            id={`${id}-min`}
            name="min"
            inputMode="decimal"
            pattern="\d{1,7}(\.\d{1,2})?"
            defaultValue={state.minPrice ?? ''}
            key={`min-${state.minPrice}`}
            placeholder="0"
            size={6}
          />
          <label htmlFor={`${id}-max`}>to</label>
          <input
            id={`${id}-max`}
            name="max"
            inputMode="decimal"
            pattern="\d{1,7}(\.\d{1,2})?"
            defaultValue={state.maxPrice ?? ''}
            key={`max-${state.maxPrice}`}
            placeholder="any"
            size={6}
          />
        </div>
      </fieldset>
      <div className="checkbox">
        <input
          id={`${id}-stock`}
          type="checkbox"
          name="stock"
          value="1"
          defaultChecked={state.inStock ?? false}
          key={`stock-${state.inStock}`}
        />
        <label htmlFor={`${id}-stock`}>In stock only</label>
      </div>
      {showText && (
        <div className="field">
          <label htmlFor={`${id}-q`}>Name or description contains</label>
          <input
            id={`${id}-q`}
            name="q"
            type="text"
            maxLength={200}
            defaultValue={state.text ?? ''}
            key={`q-${state.text}`}
          />
        </div>
      )}
      {/* The category and sort stay as they are when the filters change. */}
      {state.categoryId && <input type="hidden" name="category" value={state.categoryId} />}
      {state.sort && <input type="hidden" name="sort" value={state.sort} />}
      {!showText && state.text && <input type="hidden" name="q" value={state.text} />}
      <button type="submit" className="button-secondary">
        Apply filters
      </button>
    </Form>
  );
}
