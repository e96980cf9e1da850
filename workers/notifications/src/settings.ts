import { hostPortList, int, oneOf, optional, port, str, url } from '@shop/config';

/** The notifications worker's settings (apart from main.ts so tools can read them without starting it). */
export const notificationsWorkerSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4017),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** Its own database (prisma/notifications): read models, the emails it owes, its inbox. */
  NOTIFICATIONS_DATABASE_URL: url(['postgres', 'postgresql']),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  /** The consumer's name and group id. */
  NOTIFICATIONS_NAME: str({ default: 'notifications' }),
  NOTIFICATIONS_MAX_ATTEMPTS: int({ default: 5, min: 1, max: 100 }),
  /**
   * Consumer group session: how long the group waits for a consumer that vanished (a crash)
   * before its partitions move to a live one; a restarted worker rejoins no sooner. The
   * broker's minimum is 6 s.
   */
  NOTIFICATIONS_SESSION_TIMEOUT_MS: int({ default: 10_000, min: 6000, max: 300_000 }),
  NOTIFICATIONS_PARTITIONS_CONCURRENTLY: int({ default: 3, min: 1, max: 64 }),
  /** The SMTP server (the stack's maildev by default); plain SMTP, no TLS. */
  SMTP_HOST: str({ default: '127.0.0.1' }),
  SMTP_PORT: port(1025),
  SMTP_USER: optional(str()),
  SMTP_PASSWORD: optional(str()),
  /** The sender of every email; its domain also names the Message-IDs. */
  MAIL_FROM: str({ default: 'Tackle Shop <orders@tackle.shop>' }),
  /** The storefront's address, linked from every email. */
  SHOP_URL: url(['http', 'https'], 'http://127.0.0.1:3000'),
  /** Emails sent at once (one SMTP connection each, pooled). */
  EMAIL_BATCH: int({ default: 10, min: 1, max: 100 }),
  /** How long a woken sender waits for more emails before it takes a batch (0: at once). */
  EMAIL_LINGER_MS: int({ default: 100, min: 0, max: 10_000 }),
  /** The longest wait between two tries of an email while the SMTP server is down. */
  EMAIL_RETRY_MAX_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
  /** An email not sent after this long (the SMTP server down for days) is given up: `failed`. */
  EMAIL_MAX_AGE_HOURS: int({ default: 72, min: 1, max: 720 }),
  /** How long an email waits for its customer's address to reach the read model, then `failed`. */
  CUSTOMER_WAIT_HOURS: int({ default: 24, min: 1, max: 720 }),
};
