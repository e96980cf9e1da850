/**
 * The sender loop: takes pending emails that are due (a lease, FOR UPDATE SKIP LOCKED, so
 * several senders never take the same row), renders each with the customer's address and name
 * as the read model has them now, sends it through SMTP and marks it sent. A failed try goes
 * back to pending with exponential backoff; the loop never blocks the consumer.
 *
 * SMTP has no exactly-once: a crash (or a lost reply) between the server's "250 OK" and the
 * `sent` mark sends the email again when the lease runs out. The Message-ID is derived from the
 * event id, so such a duplicate carries the same Message-ID as the first, and mail clients that
 * dedupe by it show one.
 */
import { backoffDelay, sleep, wakeUp } from '@shop/events';
import type { Logger } from '@shop/logging';
import type { Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type pg from 'pg';
import { emailOfKind } from './emails.ts';
import {
  claimDue,
  pendingEmails,
  markFailed,
  markSent,
  productNames,
  type ClaimedEmail,
} from './store.ts';

export interface SenderStats {
  sent: number;
  /** Given up for good (status failed). */
  failed: number;
  /** Tries that will be retried (the SMTP server down, the customer not known yet). */
  retries: number;
  /** Rows waiting to be sent, as of the last count. */
  pending: number;
}

export interface SenderOptions {
  pool: pg.Pool;
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
  shop: { name: string; url: string };
  batchSize?: number;
  /** How long a claimed row stays away from other senders (default 60 s). */
  leaseMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Give an email up when it is older than this and still not sent (default 72 h). */
  maxAgeMs?: number;
  /** How long to wait for the customer's address (default 24 h). */
  customerWaitMs?: number;
  /** The longest sleep when nothing is due and nothing wakes it (default 2 s). */
  pollMs?: number;
  /**
   * How long a woken sender waits for more emails before it claims (default 100 ms): a round
   * (claim, product names, sent mark, and their round trips) is most of its own cost, and at
   * tens of emails a second a round per email paid it for each.
   */
  lingerMs?: number;
  logger?: Logger;
}

/** The domain part of the From address: the right-hand side of every Message-ID. */
const domainOf = (from: string) => /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';

export const messageIdOf = (eventId: string, from: string) => `<${eventId}@${domainOf(from)}>`;

/** A reply the SMTP server will give again (5xx): no point in retrying. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

type SentMark = Parameters<typeof markSent>[1][number];

/** The products an email's event names (its order lines). */
const productIdsOf = (email: ClaimedEmail) =>
  ((email.data as { items?: { productId: string }[] }).items ?? []).map((i) => i.productId);

export class EmailSender {
  readonly stats: SenderStats = { sent: 0, failed: 0, retries: 0, pending: 0 };
  private readonly abort = new AbortController();
  private woken = new AbortController();
  private loop: Promise<void> | undefined;
  private lastCount = 0;

  constructor(private readonly options: SenderOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Sends what is due now instead of at the next poll (called after an email row committed). */
  wake(): void {
    wakeUp(this.woken);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /**
   * When the first pending row is due, as far as this sender knows: from the last count, and
   * the retries it scheduled itself since.
   */
  private nextDueAt = Number.POSITIVE_INFINITY;

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 10;
    while (!this.abort.signal.aborted) {
      try {
        const taken = await this.sendDue();
        // A full batch: more may be due at once. A partial one: nothing else was due when it
        // was claimed, and a row committed since has woken the loop (no empty claim and count
        // after every email, two statements of the five an email cost the sender).
        if (taken >= batchSize) continue;
        if (Date.now() - this.lastCount > 1000 || taken === 0) {
          const pending = await pendingEmails(this.options.pool);
          this.stats.pending = pending.count;
          this.lastCount = Date.now();
          this.nextDueAt =
            pending.nextInMs === null ? Number.POSITIVE_INFINITY : Date.now() + pending.nextInMs;
        }
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'email sender: database error, retrying');
      }
      // Idle, the sender sleeps until its next email is due (a retry's backoff) or it is woken
      // by a new one; pollMs bounds how late it sees one another replica's consumer wrote.
      // Never 0: a due row another replica holds locked would make this loop spin.
      const sleepMs = Math.min(
        this.options.pollMs ?? 2000,
        Math.max(20, this.nextDueAt - Date.now()),
      );
      const wake = this.woken.signal;
      await sleep(sleepMs, [this.abort.signal, wake]);
      if (wake.aborted) {
        // Emails committed during the linger go in the same round; one after the reset wakes
        // the loop again.
        const lingerMs = this.options.lingerMs ?? 100;
        if (lingerMs > 0) await sleep(lingerMs, this.abort.signal);
        this.woken = new AbortController();
      }
    }
  }

  /** One round: claims a batch, sends it; returns how many rows it took. */
  async sendDue(): Promise<number> {
    const { pool } = this.options;
    const batch = await claimDue(
      pool,
      this.options.batchSize ?? 10,
      this.options.leaseMs ?? 60_000,
    );
    if (batch.length === 0) return 0;
    // One lookup of product names and one `sent` mark for the batch, not one each per email
    // (each a round trip and a statement: most of the worker's own CPU per email).
    const names = await productNames(pool, [...new Set(batch.flatMap(productIdsOf))]);
    const sent = await Promise.all(batch.map((email) => this.sendOne(email, names)));
    const marks = sent.filter((mark) => mark !== undefined);
    await markSent(pool, marks);
    this.stats.sent += marks.length;
    return batch.length;
  }

  private retryDelay(attempts: number) {
    return backoffDelay(attempts + 1, this.options.backoff ?? { initialMs: 1000, maxMs: 300_000 });
  }

  /** Sends one email; what to mark it sent with, or undefined when it failed (marked so). */
  private async sendOne(
    email: ClaimedEmail,
    names: Map<string, string>,
  ): Promise<SentMark | undefined> {
    const { logger } = this.options;
    const age = Date.now() - email.createdAt.getTime();
    const spec = emailOfKind(email.kind);
    if (!spec) return this.fail(email, `no template for kind ${email.kind}`, null);
    if (!email.email || !email.name) {
      const waitMs = this.options.customerWaitMs ?? 24 * 3600_000;
      const who = email.userId
        ? `customer ${email.userId}`
        : `the customer of order ${email.orderId}`;
      if (age > waitMs)
        return this.fail(
          email,
          `no address for ${who} after ${Math.round(waitMs / 60_000)} min`,
          null,
        );
      return this.fail(email, `waiting for the address of ${who}`, this.retryDelay(email.attempts));
    }
    const rendered = spec.template({
      customer: { name: email.name, email: email.email },
      data: email.data as never,
      productName: (id) => names.get(id),
      shop: this.options.shop,
    });
    const messageId = messageIdOf(email.eventId, this.options.from);
    try {
      // Composed in memory and handed over whole: streamed, the MIME parts reach the socket as
      // dozens of small writes per email (a tenth of the email worker's busy time in CPU
      // profiles at 100 orders/s), whole they are one.
      const message = new MailComposer({
        from: this.options.from,
        to: { name: email.name, address: email.email },
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        headers: { 'X-Shop-Event-Id': email.eventId, 'X-Shop-Email-Kind': email.kind },
      }).compile();
      await this.options.transport.sendMail({
        envelope: message.getEnvelope(),
        raw: await message.build(),
      });
    } catch (error) {
      const why = (error as Error).message ?? String(error);
      const maxAge = this.options.maxAgeMs ?? 72 * 3600_000;
      const retry = isPermanent(error) || age > maxAge ? null : this.retryDelay(email.attempts);
      logger?.warn(
        {
          err: error,
          eventId: email.eventId,
          kind: email.kind,
          attempt: email.attempts + 1,
          retryInMs: retry,
        },
        retry === null ? 'email failed for good' : 'email not sent, retrying',
      );
      return this.fail(email, why, retry);
    }
    return { eventId: email.eventId, recipient: email.email, messageId };
  }

  private async fail(
    email: ClaimedEmail,
    error: string,
    retryInMs: number | null,
  ): Promise<undefined> {
    await markFailed(this.options.pool, email.eventId, { error, retryInMs });
    if (retryInMs !== null) this.nextDueAt = Math.min(this.nextDueAt, Date.now() + retryInMs);
    if (retryInMs === null) this.stats.failed++;
    else this.stats.retries++;
    return undefined;
  }
}
