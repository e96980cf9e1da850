import { useEffect, useSyncExternalStore } from 'react';
import { offline } from '../apollo/network.ts';
import { MESSAGES } from '../lib/errors.ts';

/**
 * Shown while the store cannot be reached (a request failed on the network, or the browser went
 * offline); it goes away with the next request that gets through.
 */
export function NetworkBanner() {
  const isOffline = useSyncExternalStore(offline.subscribe, offline.get, () => false);
  useEffect(() => {
    const down = () => offline.set(true);
    const up = () => offline.set(false);
    window.addEventListener('offline', down);
    window.addEventListener('online', up);
    return () => {
      window.removeEventListener('offline', down);
      window.removeEventListener('online', up);
    };
  }, []);
  if (!isOffline) return null;
  return (
    <div className="banner" role="alert" data-testid="network-banner">
      {MESSAGES.NETWORK}
    </div>
  );
}
