import { StartupError } from '@shop/config';

/** A Prisma client, or a pg pool. */
type Queryable =
  | { $queryRawUnsafe(query: string): Promise<unknown>; $disconnect(): Promise<void> }
  | { query(text: string): Promise<unknown>; end(): Promise<void> };

/** Returns the client once it answers; start-up fails naming DATABASE_URL when it does not. */
export async function connectDatabase<T extends Queryable>(client: T, what: string): Promise<T> {
  await assertDatabaseReachable(client, 'DATABASE_URL', what);
  return client;
}

/**
 * Fails start-up with the setting to check when the database cannot be used, instead of the
 * first request failing with a driver error minutes later.
 */
export async function assertDatabaseReachable(
  client: Queryable,
  setting: string,
  what: string,
): Promise<void> {
  try {
    await ('query' in client ? client.query('SELECT 1') : client.$queryRawUnsafe('SELECT 1'));
  } catch (error) {
    await ('end' in client ? client.end() : client.$disconnect()).catch(() => {});
    const reason = describeConnectError(error);
    throw new StartupError(setting, `cannot reach the ${what} database (${reason})`);
  }
}

/** The driver's reason in a few words; Prisma wraps it in a multi-line invocation banner. */
function describeConnectError(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const inner = /Message: `([^`]*)`/.exec(message)?.[1];
  return inner ?? message.trim().split('\n')[0] ?? 'unknown error';
}
