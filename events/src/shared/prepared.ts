/**
 * A statement PostgreSQL parses and plans once per connection: a named prepared statement,
 * which node-postgres prepares on a connection's first use of the name and then only binds. For
 * the long statements run per order (the placement, the saga's steps, whole-order reads, the
 * relay's claim) the parse and plan were a third to almost half of the server's time per
 * statement (an order read: 0.42–0.49 ms of backend CPU unnamed, 0.27 prepared), and the
 * statement's text no longer travels with every call.
 *
 * The name must be unique per text in a process. A statement whose tables change shape under a
 * running service fails until it restarts (as after any migration here).
 */
export interface PreparedQuery {
  name: string;
  text: string;
  values: unknown[];
}

export function preparedStatement(
  name: string,
  text: string,
): (values: unknown[]) => PreparedQuery {
  return (values) => ({ name, text, values });
}
