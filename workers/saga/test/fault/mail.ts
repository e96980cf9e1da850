/**
 * The private SMTP server's inbox as the checks read it: the message files maildev keeps in its
 * mail folder (one `.eml` per message it received, raw as it came over SMTP). The files, rather
 * than its `GET /email`, because the run kills the server mid-transfer: a message cut off there
 * is a partial file (and, once maildev restarts and reads its folder back, a partial "mail" in
 * its API) that the client never had accepted and sends again. Only the file says it is partial
 * (its MIME closing boundary is missing), and its write time says when it came.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface InboxMessage {
  file: string;
  /** When maildev wrote it (ms since the epoch). */
  at: number;
  messageId: string | null;
  /** The notifications worker's headers: the event it tells about and its kind. */
  eventId: string | null;
  kind: string | null;
  /** The recipient's address. */
  to: string | null;
  /** False when the transfer was cut off (the server killed mid-message). */
  complete: boolean;
}

/** Header fields of a raw message (unfolded, names lower case; the first of a repeated one). */
function headersOf(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end < 0 ? raw : raw.slice(0, end);
  const fields = new Map<string, string>();
  for (const field of block.split(/\r?\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name))
      fields.set(
        name,
        field
          .slice(colon + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      );
  }
  return fields;
}

export function parseMessage(file: string, raw: string, at: number): InboxMessage {
  const h = headersOf(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(h.get('content-type') ?? '')?.[1];
  const hasBody = /\r?\n\r?\n/.test(raw);
  // nodemailer sends a text and an HTML part (multipart/alternative): a message is whole when
  // its closing boundary arrived.
  const complete = boundary ? raw.includes(`--${boundary}--`) : hasBody;
  const to = h.get('to') ?? null;
  return {
    file,
    at,
    messageId: h.get('message-id') ?? null,
    eventId: h.get('x-shop-event-id') ?? null,
    kind: h.get('x-shop-email-kind') ?? null,
    to: to === null ? null : (/<([^>]+)>/.exec(to)?.[1] ?? to).toLowerCase(),
    complete,
  };
}

/** Every message file in maildev's mail folder. */
export function readInbox(mailDir: string): InboxMessage[] {
  return readdirSync(mailDir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => {
      const file = path.join(mailDir, name);
      return parseMessage(name, readFileSync(file, 'utf8'), statSync(file).mtimeMs);
    });
}
