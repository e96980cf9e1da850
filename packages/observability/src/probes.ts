/** A readiness check of one dependency: resolves when usable, rejects with the reason otherwise. */
export type Probe = () => Promise<unknown>;

export interface ProbeReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs all probes in parallel, each bounded so a hung dependency cannot hang /ready. */
export async function runProbes(probes: Record<string, Probe>): Promise<ProbeReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const started = performance.now();
      try {
        await withTimeout(Promise.resolve().then(probe), PROBE_TIMEOUT_MS);
        return [name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        return [
          name,
          { ok: false, ms: Math.round(performance.now() - started), error: message },
        ] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { status: entries.every(([, c]) => c.ok) ? 'ok' : 'unavailable', checks };
}
