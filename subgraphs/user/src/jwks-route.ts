import type { AccessTokenSigner } from '@shop/auth';
import type { RouteHandler } from '@shop/observability';

/** Serves the public keys that verify access tokens; caches briefly so key rotation spreads fast. */
export function jwksRoute(signer: AccessTokenSigner): RouteHandler {
  const body = JSON.stringify(signer.jwks);
  return async (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=300',
    });
    res.end(body);
  };
}
