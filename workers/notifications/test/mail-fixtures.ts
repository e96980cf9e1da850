/**
 * Test and benchmark helpers: events on private topics, the inbox of a maildev (the stack's or
 * a private one on free ports, for tests that stop the SMTP server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeEvent, type EventContract, type EventOf } from '@shop/events';
import { ensureTopics, type Kafka, type Producer } from '@shop/kafka';
import { maildevArgs, maildevBin, waitUntil } from '@shop/stack';
import { randomUUID } from 'node:crypto';

export interface InboxMail {
  id: string;
  subject: string;
  messageId: string;
  html: string;
  text: string;
  to: { address: string; name: string }[];
}

/** The mail maildev holds for `address` (GET /email, filtered by recipient). */
export async function mailTo(inboxUrl: string, address: string): Promise<InboxMail[]> {
  const res = await fetch(`${inboxUrl}/email?to.address=${encodeURIComponent(address)}`);
  if (!res.ok) throw new Error(`GET /email: ${res.status}`);
  return (await res.json()) as InboxMail[];
}

/**
 * The mail for `address` once `count` messages are there. maildev answers the SMTP transaction
 * before it has parsed and stored the message, so a read right after the sender marked the email
 * sent can come back empty.
 */
export async function mailArrived(
  inboxUrl: string,
  address: string,
  count: number,
  timeoutMs = 10_000,
): Promise<InboxMail[]> {
  let mail: InboxMail[] = [];
  await waitUntil(
    async () => {
      mail = await mailTo(inboxUrl, address);
      return mail.length >= count;
    },
    { timeoutMs, intervalMs: 100, what: `${count} message(s) to ${address} in maildev` },
  );
  return mail;
}

/** Every message maildev holds. */
export async function allMail(inboxUrl: string): Promise<InboxMail[]> {
  const res = await fetch(`${inboxUrl}/email`);
  if (!res.ok) throw new Error(`GET /email: ${res.status}`);
  return (await res.json()) as InboxMail[];
}

/** Private topics (for the users, orders, payments and products contracts). */
export async function privateTopics(kafka: Kafka, tag: string) {
  const topics = {
    users: `t-notif-users-${tag}`,
    orders: `t-notif-orders-${tag}`,
    payments: `t-notif-payments-${tag}`,
    products: `t-notif-products-${tag}`,
  };
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      Object.values(topics).map((name) => ({ name, partitions: 3 })),
    );
  } finally {
    await admin.disconnect();
  }
  return topics;
}

export const newTag = () => randomUUID().slice(0, 8);

/** Publishes events as the relay does (keyed by aggregate, type and id headers). */
export async function publish(
  producer: Producer,
  topic: string,
  ...events: EventOf<EventContract>[]
): Promise<void> {
  await producer.send({ topic, messages: events.map((e) => encodeEvent(e)) });
}

/** A maildev of its own on the given ports, storing mail in a temporary folder. */
export class PrivateMaildev {
  private child: ChildProcess | undefined;
  readonly mailDir = mkdtempSync(path.join(tmpdir(), 'maildev-'));
  constructor(
    readonly smtpPort: number,
    readonly webPort: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.webPort}`;
  }

  async start(): Promise<void> {
    const bin = maildevBin();
    if (!bin) throw new Error('maildev is not installed');
    this.child = spawn(
      process.execPath,
      [
        bin,
        ...maildevArgs({
          host: '127.0.0.1',
          smtpPort: this.smtpPort,
          webPort: this.webPort,
          mailDir: this.mailDir,
        }),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const child = this.child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    // The stack's own readiness wait, which also stops early if the process dies.
    await waitUntil(() => fetch(`${this.url}/healthz`).then((r) => r.ok), {
      timeoutMs: 15_000,
      intervalMs: 100,
      alive: () => child.exitCode === null,
      what: 'private maildev',
    }).catch((error: Error) => {
      // Why it did not come up (a port taken, most likely), not only that it did not.
      throw new Error(`${error.message} (ports ${this.smtpPort}/${this.webPort}): ${stderr}`);
    });
  }

  /**
   * SIGTERM, and SIGKILL once `graceMs` have passed (default: wait for it). maildev's shutdown
   * waits up to 30 s for open SMTP connections, and a pooled client keeps its connections
   * open: a grace turns a stop into the few seconds' outage a test means.
   */
  async stop(graceMs?: number): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer =
      graceMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Stops it (at once) and deletes its mail folder. */
  async remove(): Promise<void> {
    await this.stop(0);
    rmSync(this.mailDir, { recursive: true, force: true });
  }
}
