import type { ApolloClient } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { browserApollo } from '../apollo/browser-client.ts';
import { serverApollo } from '../apollo/server-client.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { FilterForm } from '../components/filter-form.tsx';
import { Highlight } from '../components/highlight.tsx';
import { Money } from '../components/money.tsx';
import { Pager } from '../components/pager.tsx';
import { ProductCard } from '../components/product-card.tsx';
import { SidePanel } from '../components/side-panel.tsx';
import { SearchPageDocument } from '../graphql/generated.ts';
import { describeError } from '../lib/errors.ts';
import {
  listingSearch,
  parseListing,
  searchVariables,
  withChange,
  type ListingState,
} from '../lib/listing-url.ts';
import { loaderFailure } from '../lib/route-errors.ts';
import type { Route } from './+types/search';
import { Loading } from '../components/loading.tsx';

async function preload(client: ApolloClient, request: Request) {
  const state = parseListing(new URL(request.url).searchParams);
  if (!state.text) return null;
  try {
    await client.query({ query: SearchPageDocument, variables: searchVariables(state) });
  } catch (error) {
    throw loaderFailure(error);
  }
  return null;
}

export const loader = ({ context, request }: Route.LoaderArgs) =>
  preload(serverApollo(context), request);
export const clientLoader = ({ request }: Route.ClientLoaderArgs) =>
  preload(browserApollo(), request);

export function meta({ location }: Route.MetaArgs) {
  const text = parseListing(new URLSearchParams(location.search)).text;
  return [{ title: text ? `Search: ${text} — Tackle Shop` : 'Search — Tackle Shop' }];
}

const href = (state: ListingState) => {
  const search = listingSearch(state);
  return search ? `/search?${search}` : '/search';
};

export default function Search() {
  const [params] = useSearchParams();
  const state = parseListing(params);
  const { data, error, loading, refetch } = useQuery(SearchPageDocument, {
    variables: searchVariables(state),
    skip: !state.text,
  });
  if (!state.text)
    return (
      <section className="page">
        <h1>Search</h1>
        <p>
          Type what you are looking for in the search box above: a brand, a species, a technique.
        </p>
      </section>
    );
  const result = data?.searchProducts;
  const priceSelected = (min: string | null, max: string | null) =>
    (state.minPrice ?? null) === min && (state.maxPrice ?? null) === max;
  return (
    <div className="listing">
      <SidePanel>
        {result && (
          <nav className="facets" aria-label="Narrow the results">
            <h2>Category</h2>
            <ul>
              {result.facets.categories.map(({ category, count }) => {
                const selected = state.categoryId === category.id;
                return (
                  <li key={category.id}>
                    <Link
                      to={href(
                        withChange(state, { categoryId: selected ? undefined : category.id }),
                      )}
                      className={selected ? 'current' : undefined}
                      aria-current={selected ? 'true' : undefined}
                      data-testid="facet-category"
                    >
                      {category.name}
                    </Link>{' '}
                    <span className="muted">({count})</span>
                  </li>
                );
              })}
            </ul>
            <h2>Price</h2>
            <ul>
              {result.facets.priceRanges
                .filter((range) => range.count > 0 || priceSelected(range.min, range.max))
                .map((range) => {
                  const selected = priceSelected(range.min, range.max);
                  return (
                    <li key={range.key}>
                      <Link
                        to={href(
                          withChange(
                            state,
                            selected
                              ? { minPrice: undefined, maxPrice: undefined }
                              : {
                                  minPrice: range.min ?? undefined,
                                  maxPrice: range.max ?? undefined,
                                },
                          ),
                        )}
                        className={selected ? 'current' : undefined}
                        aria-current={selected ? 'true' : undefined}
                        data-testid="facet-price"
                      >
                        {range.min && range.max ? (
                          <>
                            <Money value={{ amount: range.min, currency: 'USD' }} /> –{' '}
                            <Money value={{ amount: range.max, currency: 'USD' }} />
                          </>
                        ) : range.min ? (
                          <>
                            <Money value={{ amount: range.min, currency: 'USD' }} /> and up
                          </>
                        ) : (
                          <>
                            Under <Money value={{ amount: range.max ?? '0', currency: 'USD' }} />
                          </>
                        )}
                      </Link>{' '}
                      <span className="muted">({range.count})</span>
                    </li>
                  );
                })}
            </ul>
          </nav>
        )}
        <FilterForm path="/search" state={state} showText={false} />
      </SidePanel>
      <section className="listing-main" aria-labelledby="search-title">
        <div className="listing-bar">
          <h1 id="search-title">Results for “{state.text}”</h1>
          {result && (
            <p className="muted" data-testid="result-count">
              {result.totalCount} product{result.totalCount === 1 ? '' : 's'}
            </p>
          )}
        </div>
        {error && <ErrorNotice error={describeError(error)} onRetry={() => void refetch()} />}
        {!result && loading && <Loading what="Searching…" />}
        {result && result.hits.length === 0 && (
          <div className="empty" data-testid="search-empty">
            <p>
              No products match “{state.text}”
              {state.categoryId || state.minPrice || state.maxPrice || state.inStock
                ? ' with these filters'
                : ''}
              .
            </p>
            <p>
              Check the spelling, use fewer words, or <Link to="/">browse the catalog</Link>.
            </p>
          </div>
        )}
        {result && result.hits.length > 0 && (
          <div className="grid" data-testid="search-results">
            {result.hits.map((hit) => (
              <ProductCard key={hit.product.id} product={hit.product}>
                {hit.highlights.length > 0 && (
                  <p className="hit-highlights" data-testid="highlight">
                    {hit.highlights.slice(0, 2).map((fragment, i) => (
                      <span key={i}>
                        {i > 0 && ' … '}
                        <Highlight fragment={fragment} />
                      </span>
                    ))}
                  </p>
                )}
              </ProductCard>
            ))}
          </div>
        )}
        {result && <Pager path="/search" state={state} pageInfo={result.pageInfo} />}
      </section>
    </div>
  );
}
