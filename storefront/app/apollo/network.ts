import { createStore } from '../lib/store.ts';

/** True while requests fail because the store cannot be reached (the banner shows it). */
export const offline = createStore(false);
