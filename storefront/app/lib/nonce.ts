import { createContext } from 'react';

/** The response's CSP nonce, for the inline scripts React Router writes into the page. */
export const NonceContext = createContext<string | undefined>(undefined);
