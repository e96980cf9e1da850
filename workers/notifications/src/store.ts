/**
 * The notifications database (prisma/notifications): the read models the consumer keeps and the
 * emails rows the sender works through. Plain SQL over pg: the consumer runtime hands handlers a
 * pg client inside its transaction, and the sender's claim needs FOR UPDATE SKIP LOCKED.
 */
import type pg from 'pg';
import { preparedStatement } from '@shop/events';

type Db = Pick<pg.PoolClient, 'query'>;

const customerUpsertStatement = preparedStatement(
  'customer-upsert',
  `INSERT INTO customers (user_id, email, name, changed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, name = excluded.name, changed_at = excluded.changed_at
      WHERE customers.changed_at <= excluded.changed_at`,
);
const orderOwnerInsertStatement = preparedStatement(
  'order-owner-insert',
  `INSERT INTO order_owners (order_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
);
const productNameUpsertStatement = preparedStatement(
  'product-name-upsert',
  `INSERT INTO product_names (product_id, name, changed_at) VALUES ($1, $2, $3)
     ON CONFLICT (product_id) DO UPDATE SET name = excluded.name, changed_at = excluded.changed_at
      WHERE product_names.changed_at <= excluded.changed_at`,
);
const emailsClaimDueStatement = preparedStatement(
  'emails-claim-due',
  `WITH due AS (
       SELECT event_id FROM emails
        WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, occurred_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED),
     leased AS (
       UPDATE emails e SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM due WHERE e.event_id = due.event_id
       RETURNING e.*)
     SELECT l.event_id, l.kind, l.order_id, COALESCE(l.user_id, o.user_id) AS user_id, l.data,
            l.attempts, l.created_at, c.email, c.name
       FROM leased l
       LEFT JOIN order_owners o ON o.order_id = l.order_id
       LEFT JOIN customers c ON c.user_id = COALESCE(l.user_id, o.user_id)
      ORDER BY l.occurred_at`,
);
const productNamesStatement = preparedStatement(
  'product-names',
  `SELECT product_id, name FROM product_names WHERE product_id = ANY($1::uuid[])`,
);
const emailsMarkSentStatement = preparedStatement(
  'emails-mark-sent',
  `UPDATE emails e SET status = 'sent', sent_at = now(), attempts = e.attempts + 1,
            last_error = NULL, recipient = s.recipient, message_id = s.message_id
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(event_id, recipient, message_id)
      WHERE e.event_id = s.event_id`,
);
const emailsMarkFailedStatement = preparedStatement(
  'emails-mark-failed',
  `UPDATE emails SET attempts = attempts + 1, last_error = $2,
            status = CASE WHEN $3::double precision IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = now() + make_interval(secs => COALESCE($3::double precision, 0) / 1000)
      WHERE event_id = $1`,
);
const emailsPendingStatement = preparedStatement(
  'emails-pending',
  `SELECT count(*) AS n,
            (EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::float8 AS ms
       FROM emails WHERE status = 'pending'`,
);

/** A newer address or name replaces the old one; a replayed older event changes nothing. */
export async function upsertCustomer(
  db: Db,
  c: { userId: string; email: string; name: string; changedAt: string },
): Promise<void> {
  await db.query(customerUpsertStatement([c.userId, c.email, c.name, c.changedAt]));
}

export async function recordOrderOwner(db: Db, orderId: string, userId: string): Promise<void> {
  await db.query(orderOwnerInsertStatement([orderId, userId]));
}

export async function upsertProductName(
  db: Db,
  p: { productId: string; name: string; changedAt: string },
): Promise<void> {
  await db.query(productNameUpsertStatement([p.productId, p.name, p.changedAt]));
}

const emailInsertStatement = preparedStatement(
  'email-insert',
  `INSERT INTO emails (event_id, kind, order_id, user_id, data, occurred_at)
   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
);
/** With the order's owner recorded in the same statement (one round trip, not two). */
const emailAndOwnerInsertStatement = preparedStatement(
  'email-and-owner-insert',
  `WITH owner AS (
     INSERT INTO order_owners (order_id, user_id) VALUES ($3, $4) ON CONFLICT DO NOTHING)
   INSERT INTO emails (event_id, kind, order_id, user_id, data, occurred_at)
   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
);

/**
 * The email an event owes; a second row for the same event is impossible (primary key). An
 * email naming both its order and its customer records who owns the order too (recordOrderOwner).
 */
export async function insertEmail(
  db: Db,
  e: {
    eventId: string;
    kind: string;
    orderId: string | null;
    userId: string | null;
    data: unknown;
    occurredAt: string;
  },
): Promise<void> {
  const values = [e.eventId, e.kind, e.orderId, e.userId, JSON.stringify(e.data), e.occurredAt];
  await db.query(
    e.orderId && e.userId ? emailAndOwnerInsertStatement(values) : emailInsertStatement(values),
  );
}

export interface ClaimedEmail {
  eventId: string;
  kind: string;
  orderId: string | null;
  userId: string | null;
  data: unknown;
  attempts: number;
  createdAt: Date;
  /** The customer now (null: not in the read model yet). */
  email: string | null;
  name: string | null;
}

/**
 * Takes up to `limit` pending emails that are due and leases them for `leaseMs` (another sender,
 * or this one after a crash, takes them again only once the lease ran out). The customer is
 * looked up now: the address used is the latest one the user service announced.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
  const { rows } = await db.query<{
    event_id: string;
    kind: string;
    order_id: string | null;
    user_id: string | null;
    data: unknown;
    attempts: number;
    created_at: Date;
    email: string | null;
    name: string | null;
  }>(emailsClaimDueStatement([limit, leaseMs]));
  return rows.map((r) => ({
    eventId: r.event_id,
    kind: r.kind,
    orderId: r.order_id,
    userId: r.user_id,
    data: r.data,
    attempts: r.attempts,
    createdAt: r.created_at,
    email: r.email,
    name: r.name,
  }));
}

export async function productNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ product_id: string; name: string }>(
    productNamesStatement([ids]),
  );
  return new Map(rows.map((r) => [r.product_id, r.name]));
}

/** Marks a batch of emails sent, each with where it went, in one statement. */
export async function markSent(
  db: Db,
  sent: { eventId: string; recipient: string; messageId: string }[],
): Promise<void> {
  if (sent.length === 0) return;
  await db.query(
    emailsMarkSentStatement([
      sent.map((m) => m.eventId),
      sent.map((m) => m.recipient),
      sent.map((m) => m.messageId),
    ]),
  );
}

/** A failed try: back to pending after `retryInMs`, or `failed` for good when `retryInMs` is null. */
export async function markFailed(
  db: Db,
  eventId: string,
  failure: { error: string; retryInMs: number | null },
): Promise<void> {
  await db.query(
    emailsMarkFailedStatement([eventId, failure.error.slice(0, 2000), failure.retryInMs]),
  );
}

/** Emails still to send, and how long until the first of them is due (null: none). */
export async function pendingEmails(db: Db): Promise<{ count: number; nextInMs: number | null }> {
  const { rows } = await db.query<{ n: string; ms: number | null }>(emailsPendingStatement([]));
  const ms = rows[0]?.ms;
  return {
    count: Number(rows[0]!.n),
    nextInMs: ms === null || ms === undefined ? null : Math.max(0, Math.ceil(ms)),
  };
}
