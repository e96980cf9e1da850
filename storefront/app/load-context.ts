/**
 * What the storefront server hands every request's loaders and renderer (server/app.ts builds
 * it): no secrets, only where the gateway is and who the browser is to it.
 */
export interface StorefrontLoadContext {
  /** The CSP nonce of this response: inline scripts the page writes carry it. */
  nonce: string;
  /** The browser holds a session cookie (a hint for the first paint; the page checks it). */
  signedInHint: boolean;
  gateway: {
    url: string;
    /** X-Forwarded-For for the gateway: the browser's address appended to what came in. */
    forwardedFor: string | undefined;
    timeoutMs: number;
  };
}

declare module 'react-router' {
  // Augmentation: React Router's own AppLoadContext gains these members.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends StorefrontLoadContext {}
}
