import { sessionApi } from './session-api.ts';
import { TokenManager, type SessionChange } from './token-manager.ts';

export const SIGNED_IN_COOKIE = 'tackle_signed_in';
const CHANNEL = 'tackle-session';

const hasSignedInCookie = () =>
  document.cookie.split(';').some((part) => part.trim() === `${SIGNED_IN_COOKIE}=1`);

/** Serializes refreshes across the store's tabs where the browser supports Web Locks. */
function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('tackle-session-refresh', task) as Promise<T>) : task();
}

let manager: TokenManager | undefined;

/**
 * The tab's one token manager. Tabs tell each other about sign-outs (BroadcastChannel), so a
 * shopper who signs out in one tab is signed out in all of them at once.
 */
export function browserSession(): TokenManager {
  if (manager) return manager;
  const tokens = new TokenManager({
    refresh: () => sessionApi.refresh(),
    mayHaveSession: hasSignedInCookie,
    now: () => Date.now(),
    withLock: withRefreshLock,
  });
  manager = tokens;
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(CHANNEL);
    let relaying = false;
    channel.onmessage = (event: MessageEvent<SessionChange['type']>) => {
      if (event.data === 'signed-out' && tokens.user) {
        relaying = true;
        tokens.signedOut();
        relaying = false;
      }
    };
    tokens.onChange((change) => {
      if (change.type === 'signed-out' && !relaying) channel.postMessage('signed-out');
    });
  }
  return tokens;
}
