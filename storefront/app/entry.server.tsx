import { PassThrough } from 'node:stream';
import { ApolloProvider } from '@apollo/client/react';
import { createReadableStreamFromReadable } from '@react-router/node';
import { isbot } from 'isbot';
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from 'react-dom/server';
import { ServerRouter, type AppLoadContext, type EntryContext } from 'react-router';
import { serverApollo } from './apollo/server-client.ts';
import { NonceContext } from './lib/nonce.ts';
import { scriptSafeJson } from './lib/serialize-state.ts';

export const streamTimeout = 5_000;

/**
 * Renders a page on the server. The route loaders have already filled this request's Apollo
 * cache; the page renders from it, and the cache goes into the page (`__APOLLO_STATE__`) so
 * the browser's client starts with the same data and hydrates without fetching it again.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === 'HEAD')
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });

  const apollo = serverApollo(loadContext);
  const nonce = loadContext.nonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get('user-agent');
    // Crawlers get the whole page at once; browsers get the shell as soon as it is ready.
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? 'onAllReady' : 'onShellReady';
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(
      () => abort(),
      streamTimeout + 1000,
    );
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext value={nonce}>
        <ApolloProvider client={apollo}>
          <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
        </ApolloProvider>
      </NonceContext>,
      {
        nonce,
        bootstrapScriptContent: `window.__APOLLO_STATE__=${scriptSafeJson(apollo.extract())}`,
        [readyOption]() {
          shellRendered = true;
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId);
              timeoutId = undefined;
              callback();
            },
          });
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          // Every page carries its own CSP nonce (and the signed-in hint shapes its header):
          // no shared cache may hand one visitor's page to another.
          responseHeaders.set('Cache-Control', 'private, no-cache');
          pipe(body);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}
