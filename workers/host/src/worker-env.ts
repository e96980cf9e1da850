/**
 * How one process's environment carries the settings of several workers: a worker whose id is
 * `relay-order` reads every setting `RELAY_ORDER__<NAME>` as `<NAME>`, over the shared `<NAME>`.
 * Settings the workers agree on (brokers, Redis, log level) are written once, unprefixed; what
 * differs (each one's PORT, a relay's DATABASE_URL) is prefixed.
 */
export type Env = Record<string, string | undefined>;

export const envPrefix = (workerId: string) => `${workerId.toUpperCase().replaceAll('-', '_')}__`;

/** The settings `workerId` reads out of the host's environment. */
export function workerEnv(workerId: string, env: Env): Env {
  const prefix = envPrefix(workerId);
  const own: Env = { ...env };
  for (const [key, value] of Object.entries(env))
    if (key.startsWith(prefix) && key.length > prefix.length) own[key.slice(prefix.length)] = value;
  return own;
}

/**
 * The reverse, for launchers: one environment for a host running `workers`, each given as its
 * id and its own settings. The result also names them in WORKERS.
 */
export function hostEnv(
  workers: { id: string; env: Record<string, string> }[],
): Record<string, string> {
  const keys = new Set(workers.flatMap((w) => Object.keys(w.env)));
  const env: Record<string, string> = { WORKERS: workers.map((w) => w.id).join(',') };
  for (const key of keys) {
    const values = workers.map((w) => w.env[key]);
    if (values.every((v) => v !== undefined && v === values[0])) env[key] = values[0]!;
    else
      for (const w of workers)
        if (w.env[key] !== undefined) env[`${envPrefix(w.id)}${key}`] = w.env[key];
  }
  return env;
}
