/**
 * The notifications worker: customer emails from order events, sent through SMTP.
 * Run: NOTIFICATIONS_DATABASE_URL=... SMTP_HOST=127.0.0.1 SMTP_PORT=1025 tsx workers/notifications/src/main.ts
 */
import { runMain } from '@shop/config';
import { startNotificationsWorkerProcess } from './process.ts';

await runMain('notifications', () => startNotificationsWorkerProcess(process.env));
