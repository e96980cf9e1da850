/**
 * The notifications worker: customer emails from order events, with /health, /ready and
 * /metrics (consumer counters; emails sent, failed, retried and pending).
 */
import { loadConfig } from '@shop/config';
import { exportConsumerStats, serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import { createTransport } from 'nodemailer';
import pg from 'pg';
import { startNotificationsWorker } from './notifications-worker.ts';
import { notificationsWorkerSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startNotificationsWorkerProcess: StartWorker = async (env, options = {}) => {
  const config = loadConfig(notificationsWorkerSettings, env);
  const name = config.NOTIFICATIONS_NAME;
  const logger = createLogger(name, config.LOG_LEVEL);
  const kafka = createKafka({ clientId: name, brokers: config.KAFKA_BROKERS });
  const pool = new pg.Pool({ connectionString: config.NOTIFICATIONS_DATABASE_URL, max: 5 });
  const transport = createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: config.EMAIL_BATCH,
    ...(config.SMTP_USER
      ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } }
      : {}),
  });
  const worker = await startNotificationsWorker({
    kafka,
    pool,
    transport,
    from: config.MAIL_FROM,
    shop: { name: 'Tackle Shop', url: config.SHOP_URL },
    sender: {
      batchSize: config.EMAIL_BATCH,
      lingerMs: config.EMAIL_LINGER_MS,
      backoff: { initialMs: 1000, maxMs: config.EMAIL_RETRY_MAX_SECONDS * 1000 },
      maxAgeMs: config.EMAIL_MAX_AGE_HOURS * 3600_000,
      customerWaitMs: config.CUSTOMER_WAIT_HOURS * 3600_000,
    },
    name,
    maxAttempts: config.NOTIFICATIONS_MAX_ATTEMPTS,
    sessionTimeoutMs: config.NOTIFICATIONS_SESSION_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.NOTIFICATIONS_PARTITIONS_CONCURRENTLY,
    logger,
  });
  logger.info({ smtp: `${config.SMTP_HOST}:${config.SMTP_PORT}` }, 'notifications worker started');
  const metrics = createServiceMetrics(name);
  exportConsumerStats(metrics.registry, {
    prefix: 'notifications_emails',
    help: 'Customer emails',
    sources: [{ label: 'sender', stats: worker.sender.stats }],
    levels: ['pending'],
  });
  return serveWorker({
    name,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    stats: {
      prefix: 'notifications_messages',
      help: 'Notifications worker consumer messages',
      sources: [{ label: 'events', stats: worker.consumer.stats }],
    },
    // The SMTP server is not a readiness condition: while it is down emails wait, events do not.
    probes: { notificationsDb: () => pool.query('SELECT 1') },
    handleSignals: options.handleSignals,
    stop: async () => {
      await worker.stop();
      transport.close();
      await pool.end();
    },
  });
};
