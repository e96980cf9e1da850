import { ApolloProvider } from '@apollo/client/react';
import { startTransition, StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { HydratedRouter } from 'react-router/dom';
import { browserApollo } from './apollo/browser-client.ts';
import { NonceContext } from './lib/nonce.ts';

// Browsers hide a nonce attribute's value from the DOM but keep it on the property: the same
// value the server wrote, so hydration sees the markup it rendered.
const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || undefined;

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <NonceContext value={nonce}>
        <ApolloProvider client={browserApollo()}>
          <HydratedRouter />
        </ApolloProvider>
      </NonceContext>
    </StrictMode>,
  );
});
