/**
 * Programmatic API of the local stack, for the test global setup and the start
 * script. The CLI (cli.ts) is a thin wrapper around the same functions.
 */
import { stackEndpoints, type StackEndpoints } from './config.ts';
import { consoleProgress, silentProgress } from './progress.ts';
import { up, type UpResult } from './stack.ts';
import type { ServiceName } from './services/types.ts';

export { stackEndpoints, type StackEndpoints };
export { PrereqError, StackError } from './errors.ts';
export {
  status as stackStatus,
  down as stopStack,
  SERVICE_NAMES,
  type StatusRow,
  type UpResult,
} from './stack.ts';
export type { ServiceName } from './services/types.ts';
export { versions } from './versions.ts';
export { stackDir } from './paths.ts';
export { silentProgress, consoleProgress, type Progress } from './progress.ts';
// A private broker for tests that stop and restart it (the fault runs).
export { prepareKafkaNode, type KafkaNodeSpec } from './services/kafka.ts';
// A private SMTP server for tests that stop and restart it, and the stack's wait for readiness.
export { maildevArgs, maildevBin } from './services/maildev.ts';
export { waitUntil } from './ports.ts';
// Prometheus: npm start points the stack's at its system; tests start private ones and run promtool.
export {
  alertRulesFile,
  basePrometheusConfig,
  ensurePrometheusInstalled,
  prometheusArgs,
  prometheusBin,
  prometheusConfigFile,
  promtoolBin,
  reloadPrometheus,
} from './services/prometheus.ts';

export interface EnsureStackOptions {
  /** Only these services (default: all). */
  services?: ServiceName[];
  /** Print progress to stderr (default: true). */
  verbose?: boolean;
}

/**
 * Brings the stack up if it is not (idempotent: running services are left alone)
 * and returns the endpoints. Throws PrereqError when something must be installed
 * or a port freed, StackError when a service fails to start.
 */
export async function ensureStack(opts: EnsureStackOptions = {}): Promise<StackEndpoints> {
  return (await ensureStackDetailed(opts)).endpoints;
}

/** Like ensureStack, also telling per service whether it was started, already running or external. */
export async function ensureStackDetailed(opts: EnsureStackOptions = {}): Promise<UpResult> {
  const progress = opts.verbose === false ? silentProgress : consoleProgress();
  try {
    return await up({ ...(opts.services ? { services: opts.services } : {}), progress });
  } finally {
    progress.close();
  }
}
