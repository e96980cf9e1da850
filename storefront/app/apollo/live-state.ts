import { createStore } from '../lib/store.ts';

export type LiveState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** Whether live updates flow now (the tracking page shows it). */
export const liveState = createStore<LiveState>('idle');

/** Backoff between reconnects: 0.5 s doubling to 10 s, with jitter so tabs do not stampede. */
export function reconnectDelayMs(retries: number, random = Math.random()): number {
  return Math.min(10_000, 500 * 2 ** retries) * (0.75 + random * 0.5);
}
