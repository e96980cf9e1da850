import { useContext, useEffect } from 'react';
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from 'react-router';
import type { Route } from './+types/root';
import { SessionProvider } from './auth/session.tsx';
import { ErrorNotice } from './components/error-notice.tsx';
import { NetworkBanner } from './components/network-banner.tsx';
import { SiteHeader } from './components/site-header.tsx';
import { describeError } from './lib/errors.ts';
import { isShopError } from './lib/route-errors.ts';
import { NonceContext } from './lib/nonce.ts';
import stylesheet from './styles.css?url';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: stylesheet }];

export function loader({ context }: Route.LoaderArgs) {
  return { signedInHint: context.signedInHint };
}

// The hint is read once per page load; navigations never ask the server for it again.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useContext(NonceContext);
  const root = useRouteLoaderData<typeof loader>('root');
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links nonce={nonce} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SessionProvider signedInHint={root?.signedInHint ?? false}>
          <SiteHeader />
          <NetworkBanner />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
          <footer className="site-footer">
            <p>Tackle Shop — rods, reels, lines, lures and everything for the water.</p>
          </footer>
        </SessionProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // A mark for tools and tests: the page's scripts have taken over the server's HTML.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
    performance.mark('hydrated');
  }, []);
  return <Outlet />;
}

export function meta() {
  return [
    { title: 'Tackle Shop' },
    {
      name: 'description',
      content: 'Fishing tackle: rods, reels, lines, lures, hooks and clothing.',
    },
  ];
}

/** Anything a page throws ends here, in words, inside the site's frame: never a blank screen. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  if (isRouteErrorResponse(error) && error.status === 404)
    return (
      <section className="page">
        <h1>Page not found</h1>
        <p>We could not find that page. It may have moved, or the product is no longer sold.</p>
        <p>
          <a href="/">Back to the catalog</a>
        </p>
      </section>
    );
  const payload = isRouteErrorResponse(error) ? error.data : error;
  const shopError = isShopError(payload) ? payload : describeError(payload);
  return (
    <section className="page">
      <h1>Something went wrong</h1>
      <ErrorNotice error={shopError} onRetry={() => window.location.reload()} />
    </section>
  );
}
