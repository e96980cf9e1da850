import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorNotice } from '../components/error-notice.tsx';
import { MESSAGES } from '../lib/errors.ts';
import type { SessionUser } from './token-manager.ts';
import { useSession } from './session.tsx';
import { Loading } from '../components/loading.tsx';

/**
 * Protected pages: signed-out visitors go to sign-in (and come back after it); a role page
 * refuses other roles in words, not with a blank screen.
 */
export function RequireSession({
  roles,
  children,
}: {
  roles?: SessionUser['role'][];
  children: (user: SessionUser) => ReactNode;
}) {
  const session = useSession();
  const location = useLocation();
  useEffect(() => {
    if (session.status === 'unreachable') {
      const timer = setTimeout(session.recheck, 5000);
      return () => clearTimeout(timer);
    }
  }, [session.status, session.recheck]);
  if (session.status === 'checking') return <Loading what="Checking your session…" />;
  if (session.status === 'unreachable')
    return (
      <ErrorNotice
        error={{ code: 'NETWORK', message: MESSAGES.NETWORK }}
        onRetry={session.recheck}
      />
    );
  if (session.status === 'signed-out' || !session.user) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/sign-in?reason=required&next=${next}`} replace />;
  }
  if (roles && !roles.includes(session.user.role))
    return <ErrorNotice error={{ code: 'FORBIDDEN', message: MESSAGES.FORBIDDEN }} />;
  return <>{children(session.user)}</>;
}
