/**
 * Commands for outbox rows a relay gave up on (status failed: Kafka kept rejecting them).
 *   tsx events/src/cli/outbox.ts failed             lists them with the error
 *   tsx events/src/cli/outbox.ts requeue [ID...]    puts them (or the given ones) back to pending
 * The database from DATABASE_URL (the service's own: shop_order, shop_catalog, ...). Requeue
 * after fixing the cause (a missing topic created, a size limit raised), or the row fails again.
 */
import pg from 'pg';
import { listFailedRows, requeueFailedRows } from '../relay/outbox-rows.ts';

const [command, ...ids] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!url || (command !== 'failed' && command !== 'requeue')) {
  console.error('usage: DATABASE_URL=postgres://... outbox <failed|requeue [id...]>');
  process.exit(2);
}
const db = new pg.Client({ connectionString: url });
await db.connect();
try {
  if (command === 'failed') {
    const rows = await listFailedRows(db);
    for (const r of rows)
      console.log(
        [r.failedAt.toISOString(), r.id, r.topic, r.type, r.aggregateId, r.error].join('\t'),
      );
    console.error(`${rows.length} failed row(s)`);
  } else {
    console.log(`requeued ${await requeueFailedRows(db, ids.length > 0 ? ids : undefined)} row(s)`);
  }
} finally {
  await db.end();
}
