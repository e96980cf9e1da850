/**
 * A missing prerequisite (binary, Java version, a port taken by a stranger). The CLI
 * prints `message` as one line and exits 2, so it must say what to install or free.
 */
export class PrereqError extends Error {
  override name = 'PrereqError';
}

/** A service failed to start or become ready; `message` is one line, the log file has the rest. */
export class StackError extends Error {
  override name = 'StackError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
