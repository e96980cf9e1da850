import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useNavigate } from 'react-router';
import { forgetShopper } from '../apollo/browser-client.ts';
import { browserSession } from './browser-session.ts';
import { sessionApi } from './session-api.ts';
import type { SessionUser, TokenGrant } from './token-manager.ts';

export type SessionStatus = 'checking' | 'signed-in' | 'signed-out' | 'unreachable';

export interface Session {
  status: SessionStatus;
  user: SessionUser | null;
  signIn(email: string, password: string): Promise<SessionUser>;
  register(input: { email: string; password: string; name: string }): Promise<SessionUser>;
  signOut(): Promise<void>;
  /** Asks the server again (after the store could not be reached). */
  recheck(): void;
  /** After a profile change: the header shows the new name. */
  updateUser(user: SessionUser): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

const signInPath = (reason: string) => {
  const next = `${window.location.pathname}${window.location.search}`;
  return `/sign-in?reason=${reason}&next=${encodeURIComponent(next)}`;
};

/**
 * Who is signed in, for every component. The server renders with the session cookie's hint
 * only ("checking" or "signed-out"); in the browser the token manager knows, after one refresh.
 * An ended session (signed out elsewhere, expired, refresh reuse) clears the shopper's data
 * from the tab and returns to sign-in with a message.
 */
export function SessionProvider({
  signedInHint,
  children,
}: {
  signedInHint: boolean;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const [status, setStatus] = useState<SessionStatus>(signedInHint ? 'checking' : 'signed-out');
  const [user, setUser] = useState<SessionUser | null>(null);

  const check = useCallback(() => {
    const tokens = browserSession();
    if (tokens.user) {
      setUser(tokens.user);
      setStatus('signed-in');
      return;
    }
    setStatus((current) => (current === 'signed-out' ? current : 'checking'));
    tokens.accessToken().then(
      (token) => {
        if (!token) setStatus('signed-out');
      },
      () => setStatus('unreachable'),
    );
  }, []);

  useEffect(() => {
    const tokens = browserSession();
    const off = tokens.onChange((change) => {
      if (change.type === 'signed-in' || change.type === 'renewed') {
        setUser(change.user);
        setStatus('signed-in');
        return;
      }
      setUser(null);
      setStatus('signed-out');
      void forgetShopper();
      if (change.type === 'ended') navigate(signInPath('ended'), { replace: true });
    });
    if (signedInHint || tokens.user) check();
    return off;
  }, [check, navigate, signedInHint]);

  const accept = useCallback(async (grant: Promise<TokenGrant>) => {
    const granted = await grant;
    // Data cached while signed out (or as someone else) must not show through.
    await forgetShopper();
    browserSession().signedIn(granted);
    return granted.user;
  }, []);

  const session = useMemo<Session>(
    () => ({
      status,
      user,
      signIn: (email, password) => accept(sessionApi.login(email, password)),
      register: (input) => accept(sessionApi.register(input)),
      async signOut() {
        const tokens = browserSession();
        const token = await tokens.accessToken().catch(() => null);
        try {
          await sessionApi.logout(token);
        } finally {
          tokens.signedOut();
        }
      },
      recheck: check,
      updateUser: (next) => setUser(next),
    }),
    [accept, check, status, user],
  );
  return <SessionContext value={session}>{children}</SessionContext>;
}
