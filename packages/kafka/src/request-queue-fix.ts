/**
 * kafkajs 2.2.4 (its last release) keeps a 1 ms timer running for every broker connection, for
 * ever: RequestQueue.checkPendingRequests always reschedules itself, and with nothing pending
 * and no throttling the delay it computes is negative. An idle relay or worker woke its event
 * loop ~1,700 times a second and spent ~30 ms of CPU per second doing nothing (measured with
 * strace and /proc on this project's processes). The fix kafkajs has on its main branch, applied
 * here: a check is scheduled only while requests wait (a new request schedules one, and a
 * completed one checks the queue itself).
 */
import { createRequire } from 'node:module';

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval between checks of a queue that waits on in-flight requests. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueueInternals;
};

RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttledForMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
};
