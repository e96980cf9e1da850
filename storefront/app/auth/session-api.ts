import {
  isNetworkFailure,
  MESSAGES,
  SessionRequestError,
  fromFormattedError,
} from '../lib/errors.ts';
import type { RefreshOutcome, TokenGrant } from './token-manager.ts';

/** The storefront server's token-mediating endpoints (server/session-routes.ts). */
async function post(path: string, body: unknown, authorization?: string): Promise<Response> {
  try {
    return await fetch(`/session/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization: `Bearer ${authorization}` } : {}),
      },
      body: JSON.stringify(body ?? {}),
    });
  } catch (error) {
    if (isNetworkFailure(error))
      throw new SessionRequestError({ code: 'NETWORK', message: MESSAGES.NETWORK });
    throw error;
  }
}

async function errorOf(response: Response): Promise<SessionRequestError> {
  let body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not JSON: the status speaks
  }
  if (body.errors?.length) return new SessionRequestError(fromFormattedError(body.errors[0]));
  return new SessionRequestError(
    response.status === 429
      ? { code: 'RATE_LIMITED', message: MESSAGES.RATE_LIMITED }
      : { code: 'INTERNAL_SERVER_ERROR', message: MESSAGES.INTERNAL_SERVER_ERROR },
  );
}

async function grantOf(response: Response): Promise<TokenGrant> {
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as TokenGrant;
}

export const sessionApi = {
  login: async (email: string, password: string) =>
    grantOf(await post('login', { email, password })),
  register: async (input: { email: string; password: string; name: string }) =>
    grantOf(await post('register', input)),
  async refresh(): Promise<RefreshOutcome> {
    const response = await post('refresh', {});
    if (response.status === 401) return { kind: 'ended' };
    return { kind: 'granted', grant: await grantOf(response) };
  },
  async logout(accessToken: string | null): Promise<void> {
    const response = await post('logout', {}, accessToken ?? undefined);
    if (!response.ok) throw await errorOf(response);
  },
};
