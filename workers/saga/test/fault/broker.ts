/**
 * A Kafka broker of the fault run's own (KRaft, the stack's jars and configuration code), on
 * free ports with its data under .stack/fault-kafka/: stopping and restarting it mid-run
 * disturbs no other test or developer that shares the stack's broker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS } from '@shop/events/topics';
import { createKafka, ensureTopics, type Kafka } from '@shop/kafka';
import { prepareKafkaNode, silentProgress, stackDir } from '@shop/stack';
import { freePort, sleep, waitUntil } from './util.ts';

export class PrivateBroker {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Times the broker was stopped and started again. */
  restarts = 0;

  private constructor(
    readonly dir: string,
    readonly host: string,
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async create(name: string): Promise<PrivateBroker> {
    const dir = path.join(stackDir(), 'fault-kafka', name);
    rmSync(dir, { recursive: true, force: true });
    const host = '127.0.0.1';
    const port = await freePort();
    const controllerPort = await freePort();
    const args = await prepareKafkaNode(
      {
        host,
        port,
        controllerPort,
        logDir: path.join(dir, 'data'),
        confDir: path.join(dir, 'conf'),
      },
      silentProgress,
    );
    return new PrivateBroker(dir, host, port, args);
  }

  get brokers(): string[] {
    return [`${this.host}:${this.port}`];
  }

  /** A client for the harness itself: few retries, so checks fail fast while it is down. */
  kafka(clientId = 'fault-harness'): Kafka {
    return createKafka({
      clientId,
      brokers: this.brokers,
      connectionTimeout: 2000,
      retry: { initialRetryTime: 200, retries: 5 },
    });
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the broker and waits until it answers metadata requests with a controller. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.child) return;
    mkdirSync(this.dir, { recursive: true });
    const log = openSync(path.join(this.dir, 'kafka.log'), 'a');
    // Its own process group, so a stop reaches the JVM and nothing else.
    const child = spawn('java', this.args, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitUntil(() => this.healthy(), timeoutMs, `private Kafka broker on ${this.brokers[0]}`);
  }

  async healthy(): Promise<boolean> {
    const admin = createKafka({
      clientId: 'fault-probe',
      brokers: this.brokers,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** The project's topics (events/src/topics.ts), as the stack creates them on its broker. */
  async createTopics(): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      await ensureTopics(admin, ALL_TOPICS);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Stops the broker: SIGTERM is a controlled shutdown (SIGKILL after the grace), SIGKILL a
   * crash whose log the next start recovers.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', graceMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    const done = await Promise.race([
      this.exited.then(() => true),
      sleep(graceMs).then(() => false),
    ]);
    if (!done) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await this.exited;
    }
    this.child = undefined;
  }

  async restart(downMs: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await sleep(downMs);
    await this.start();
    this.restarts++;
  }

  /** Stops it and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous last resort for process exit handlers. */
  killNow(): void {
    if (this.child?.pid)
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
  }
}
