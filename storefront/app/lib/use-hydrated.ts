import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while the server renders and during hydration, true once the page's scripts run it.
 * Buttons that only work with scripts stay disabled until then: a click before hydration would
 * be lost, and a sign-in form submitted without its script would put the password in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
