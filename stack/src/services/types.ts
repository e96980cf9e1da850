import type { StackEndpoints } from '../config.ts';
import type { Progress } from '../progress.ts';

export type ServiceName =
  | 'postgres'
  | 'redis'
  | 'kafka'
  | 'clickhouse'
  | 'elasticsearch'
  | 'maildev'
  | 'zipkin'
  | 'prometheus';

export interface ServiceContext {
  endpoints: StackEndpoints;
  progress: Progress;
}

export interface PortSpec {
  host: string;
  port: number;
  /** The env var that moves this port, named in conflict messages. */
  env: string;
}

/** What the orchestrator (stack.ts) needs to know about one service. */
export interface Service {
  name: ServiceName;
  /** Substring of our process's command line; guards against reused pids. */
  marker(e: StackEndpoints): string;
  /** Postgres wants SIGINT (fast shutdown); SIGTERM would wait for clients. */
  stopSignal: NodeJS.Signals;
  stopGraceMs: number;
  readyTimeoutMs: number;
  address(e: StackEndpoints): string;
  /** Ports our process will bind, main one first; all must be free to start it. */
  ports(e: StackEndpoints): PortSpec[];
  /** The service answers and does real work (not just an open port). */
  healthy(e: StackEndpoints): Promise<boolean>;
  /** One line per prerequisite missing to start it here (what to install). */
  missingPrereqs(e: StackEndpoints): Promise<string[]>;
  /** Download/prepare as needed and spawn it detached; returns the pid. */
  start(ctx: ServiceContext): Promise<number>;
  /** Idempotent setup once it is healthy, whoever runs it (topics, databases). */
  afterReady?(ctx: ServiceContext): Promise<void>;
}
