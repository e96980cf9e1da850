import type { ApolloClient } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { browserApollo } from '../apollo/browser-client.ts';
import { serverApollo } from '../apollo/server-client.ts';
import { CategoryNav } from '../components/category-nav.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { FilterForm } from '../components/filter-form.tsx';
import { Pager } from '../components/pager.tsx';
import { ProductCard } from '../components/product-card.tsx';
import { SidePanel } from '../components/side-panel.tsx';
import { SortSelect } from '../components/sort-select.tsx';
import { CatalogPageDocument, CategoryTreeDocument } from '../graphql/generated.ts';
import { describeError } from '../lib/errors.ts';
import { catalogVariables, listingSearch, parseListing, withChange } from '../lib/listing-url.ts';
import { loaderFailure } from '../lib/route-errors.ts';
import type { Route } from './+types/catalog';
import { Loading } from '../components/loading.tsx';

async function preload(client: ApolloClient, request: Request) {
  const state = parseListing(new URL(request.url).searchParams);
  try {
    await Promise.all([
      client.query({ query: CategoryTreeDocument }),
      client.query({ query: CatalogPageDocument, variables: catalogVariables(state) }),
    ]);
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
  const state = parseListing(new URLSearchParams(location.search));
  return [
    { title: state.text ? `“${state.text}” — Tackle Shop` : 'Fishing tackle — Tackle Shop' },
    {
      name: 'description',
      content: 'Rods, reels, lines, lures, hooks and clothing from independent tackle sellers.',
    },
  ];
}

export default function Catalog() {
  const [params] = useSearchParams();
  const state = parseListing(params);
  const categories = useQuery(CategoryTreeDocument);
  const list = useQuery(CatalogPageDocument, { variables: catalogVariables(state) });
  const hrefFor = (categoryId: string | undefined) => {
    const search = listingSearch(withChange(state, { categoryId }));
    return search ? `/?${search}` : '/';
  };
  const allCategories = categories.data?.categories ?? [];
  const current = allCategories.find((c) => c.id === state.categoryId);
  const connection = list.data?.products;
  return (
    <div className="listing">
      <SidePanel>
        <CategoryNav categories={allCategories} selected={state.categoryId} hrefFor={hrefFor} />
        <FilterForm path="/" state={state} showText />
      </SidePanel>
      <section className="listing-main" aria-labelledby="listing-title">
        <div className="listing-bar">
          <h1 id="listing-title">{current ? current.name : 'All products'}</h1>
          {connection && (
            <p className="muted" data-testid="result-count">
              {connection.totalCount} product{connection.totalCount === 1 ? '' : 's'}
            </p>
          )}
          <SortSelect path="/" state={state} />
        </div>
        {list.error && (
          <ErrorNotice error={describeError(list.error)} onRetry={() => void list.refetch()} />
        )}
        {!connection && list.loading && <Loading what="Loading products…" />}
        {connection && connection.edges.length === 0 && (
          <p className="empty">
            No products match these filters. Try a wider price range or another category.
          </p>
        )}
        {connection && connection.edges.length > 0 && (
          <div className="grid" data-testid="product-grid">
            {connection.edges.map(({ node }) => (
              <ProductCard key={node.id} product={node} />
            ))}
          </div>
        )}
        {connection && <Pager path="/" state={state} pageInfo={connection.pageInfo} />}
      </section>
    </div>
  );
}
