/**
 * The notifications worker: customer emails from order events, sent through SMTP.
 * Run: NOTIFICATIONS_DATABASE_URL=... SMTP_HOST=127.0.0.1 SMTP_PORT=1025 tsx workers/notifications/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startNotificationsWorkerProcess } from './process.ts';
import { notificationsWorkerSettings } from './settings.ts';

const { NOTIFICATIONS_NAME } = loadConfig({
  NOTIFICATIONS_NAME: notificationsWorkerSettings.NOTIFICATIONS_NAME,
});
await runWorker('notifications', NOTIFICATIONS_NAME, startNotificationsWorkerProcess);
