/**
 * The fault run of issue 4, through fulfilment: orders placed (and some cancelled by their
 * buyer) while the relays drop 20 % of their publishes and crash mid-batch, the saga's handlers
 * fail 20 % of the time, the harness SIGKILLs a relay mid-batch, the saga, the carrier and the
 * notifications worker on a schedule, stops the Kafka broker and the SMTP server for a few
 * seconds; the carrier loses parcels (re-shipped, or the order refunded). Then a quiet drain
 * (every paid order delivered or refunded, every email sent) and the checks of checks.ts.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createOrderPrisma } from '@shop/prisma/order';
import { TOPICS, listDeadLetters, replayDeadLetters } from '@shop/events';
import { stackDir } from '@shop/stack';
import { consumedEvents } from '../../../notifications/src/notifications-worker.ts';
import { PrivateMaildev } from '../../../notifications/test/mail-fixtures.ts';
import { PrivateBroker } from './broker.ts';
import { verify, type Figures } from './checks.ts';
import { readInbox } from './mail.ts';
import { metricSum, SupervisedProcess } from './processes.ts';
import {
  cancelOrder,
  customerProfiles,
  placeOrder,
  prepareCustomers,
  prepareDatabases,
  publishReadModelEvents,
  seedProducts,
  type PlacingDeps,
} from './store.ts';
import { freePort, seededRandom, sleep, waitUntil } from './util.ts';

export interface FaultRunOptions {
  /** PostgreSQL server URL (its database part is ignored) and Redis URL of the stack. */
  postgresUrl: string;
  redisUrl: string;
  /** Database name prefix of the run's own order and catalog databases. */
  databasePrefix: string;
  orders: number;
  /** How long placing all orders should take (the faults are spread over this). */
  placeOverMs: number;
  products?: number;
  /** Stock is sized to this share of the expected demand, so late orders find none left. */
  stockShare?: number;
  /** Share of orders their buyer cancels shortly after placing them. */
  cancelShare?: number;
  /** Every n-th customer's cart holds the run's discount code (0: none does). */
  codeEvery?: number;
  publishFailureRate?: number;
  relayCrashRate?: number;
  handlerFailureRate?: number;
  declineRate?: number;
  /** SIGKILL a relay mid-batch this often. */
  relayKillEveryMs?: number;
  /** SIGKILL the saga worker (whatever it is doing) this often; 0 or absent: never. */
  sagaKillEveryMs?: number;
  /** Broker stops during placement, each this long. */
  brokerStops?: number;
  brokerDownMs?: number;
  /** SIGKILL the carrier / the notifications worker this often; 0 or absent: never. */
  carrierKillEveryMs?: number;
  notificationsKillEveryMs?: number;
  /** SMTP server stops (killed, started again on its ports) during placement, each this long. */
  smtpStops?: number;
  smtpDownMs?: number;
  /** Share of parcels the carrier loses (re-shipped once, then the order refunded). */
  lossRate?: number;
  /** How long the drain may take before the run counts as stuck. */
  drainTimeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface FaultRunReport {
  violations: string[];
  figures: Figures;
  placed: number;
  refusedAtCheckout: number;
  /** Refusals at checkout by code (OUT_OF_STOCK when stock runs short). */
  refusals: Record<string, number>;
  cancelRequests: { cancelled: number; tooLate: number };
  relayKills: { scheduled: number; midBatch: number; chaosCrashes: number };
  sagaKills: number;
  carrierKills: number;
  notificationsKills: number;
  smtpStops: number;
  brokerRestarts: number;
  duplicatesAbsorbed: number;
  handlerRetries: number;
  deadLettered: number;
  replayed: number;
  /** Saga consumer crashes (broker gone), and the ones kafkajs gave up on that the runtime restarted. */
  consumerCrashes: number;
  consumerRestarts: number;
  timings: { placeMs: number; drainMs: number; totalMs: number };
  /** Where the broker's and services' logs are. */
  logDir: string;
}

export async function runFaults(o: FaultRunOptions): Promise<FaultRunReport> {
  const log = o.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const random = seededRandom(o.seed ?? 4);
  const runId = `${Date.now().toString(36)}-${randomUUID().slice(0, 4)}`;
  const logDir = path.join(stackDir(), 'logs', `fault-run-${runId}`);
  pruneOldLogs(path.dirname(logDir), 5);
  mkdirSync(logDir, { recursive: true });
  const sagaName = `fault-saga-${runId}`;
  const carrierName = `fault-carrier-${runId}`;
  const notificationsName = `fault-notifications-${runId}`;
  // A parcel lost twice is refunded: with 15 % lost, ~2 % of the orders.
  const maxShipments = 2;

  const dbs = await prepareDatabases(o.postgresUrl, o.databasePrefix);
  const orderPool = new pg.Pool({ connectionString: dbs.order, max: 4 });
  const catalogPool = new pg.Pool({ connectionString: dbs.catalog, max: 6 });
  const cartPool = new pg.Pool({ connectionString: dbs.cart, max: 2 });
  const notificationsPool = new pg.Pool({ connectionString: dbs.notifications, max: 2 });
  const prisma = createOrderPrisma(dbs.order);

  // Demand per order averages 2 lines of 2 units; stock covers `stockShare` of it.
  const productCount = o.products ?? 12;
  const expectedUnits = o.orders * 4;
  const perProduct = Math.max(
    1,
    Math.round((expectedUnits * (o.stockShare ?? 0.7)) / productCount),
  );
  const products = await seedProducts(catalogPool, productCount, (i) =>
    Math.max(1, Math.round(perProduct * (0.5 + i / Math.max(1, productCount - 1)))),
  );

  const broker = await PrivateBroker.create(runId);
  // The SMTP server of the run's own (the stack's is shared with other tests), on free ports.
  const maildev = new PrivateMaildev(await freePort(), await freePort());
  const processes: SupervisedProcess[] = [];
  const onExit = () => {
    broker.killNow();
    for (const p of processes) p.killNow();
    void maildev.stop(0);
  };
  // The broker runs in its own process group, so Ctrl-C does not reach it: stop it here.
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await broker.start();
    await broker.createTopics();
    await maildev.start();
    log(
      `fault run ${runId}: broker ${broker.brokers[0]}, ${productCount} products, ${o.orders} orders`,
    );

    const relayEnv = (db: string, name: string) => ({
      // The application name lets the harness see when a relay holds a batch open.
      DATABASE_URL: `${db}?application_name=${name}`,
      KAFKA_BROKERS: broker.brokers.join(','),
      RELAY_NAME: name,
      LOG_LEVEL: 'warn',
      RELAY_POLL_INTERVAL_MS: '250',
      RELAY_BACKOFF_INITIAL_MS: '100',
      RELAY_BACKOFF_MAX_MS: '2000',
      CHAOS_PUBLISH_FAILURE_RATE: String(o.publishFailureRate ?? 0.2),
      CHAOS_CRASH_RATE: String(o.relayCrashRate ?? 0.02),
    });
    const relays = [
      new SupervisedProcess({
        name: 'relay-order',
        script: 'events/src/relay/main.ts',
        env: relayEnv(dbs.order, `fault-relay-order-${runId}`),
        logDir,
      }),
      new SupervisedProcess({
        name: 'relay-catalog',
        script: 'events/src/relay/main.ts',
        env: relayEnv(dbs.catalog, `fault-relay-catalog-${runId}`),
        logDir,
      }),
    ];
    const sagaEnv = (handlerFailureRate: number) => ({
      ORDER_DATABASE_URL: dbs.order,
      CATALOG_DATABASE_URL: dbs.catalog,
      REDIS_URL: o.redisUrl,
      KAFKA_BROKERS: broker.brokers.join(','),
      SAGA_NAME: sagaName,
      LOG_LEVEL: 'warn',
      PAYMENT_DECLINE_RATE: String(o.declineRate ?? 0.1),
      PAYMENT_LATENCY_MS: '5',
      CHAOS_HANDLER_FAILURE_RATE: String(handlerFailureRate),
    });
    let saga = new SupervisedProcess({
      name: 'saga',
      script: 'workers/saga/src/main.ts',
      env: sagaEnv(o.handlerFailureRate ?? 0.2),
      logDir,
    });
    // The carrier with short delays: a completed order is delivered about half a second later,
    // unless its parcel is lost (then sent again once, or the order refunded). Unlike the saga,
    // the carrier and the notifications worker have no session timeout setting: a restart
    // after a SIGKILL joins their consumer group only once the dead member's session (kafkajs'
    // 30 s) ran out, and /health answers after that; a broker stop on top makes it longer.
    const workerStartTimeoutMs = 150_000;
    const carrier = new SupervisedProcess({
      name: 'carrier',
      script: 'workers/carrier/src/main.ts',
      env: {
        ORDER_DATABASE_URL: dbs.order,
        REDIS_URL: o.redisUrl,
        KAFKA_BROKERS: broker.brokers.join(','),
        CARRIER_WORKER_NAME: carrierName,
        LOG_LEVEL: 'warn',
        CARRIER_PACK_DELAY_MS: '100',
        CARRIER_SHIP_DELAY_MS: '200',
        CARRIER_DELIVER_DELAY_MS: '200',
        CARRIER_POLL_MS: '50',
        CARRIER_LOSS_RATE: String(o.lossRate ?? 0.15),
        CARRIER_LOST_PARCEL: 'reship',
        CARRIER_MAX_SHIPMENTS: String(maxShipments),
      },
      logDir,
      startTimeoutMs: workerStartTimeoutMs,
    });
    // The notifications worker mails through the private maildev; while that is down its
    // emails back off for at most 2 s (EMAIL_RETRY_MAX_SECONDS), not 5 min.
    const notifications = new SupervisedProcess({
      name: 'notifications',
      script: 'workers/notifications/src/main.ts',
      env: {
        NOTIFICATIONS_DATABASE_URL: dbs.notifications,
        KAFKA_BROKERS: broker.brokers.join(','),
        NOTIFICATIONS_NAME: notificationsName,
        LOG_LEVEL: 'warn',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(maildev.smtpPort),
        EMAIL_RETRY_MAX_SECONDS: '2',
      },
      logDir,
      startTimeoutMs: workerStartTimeoutMs,
    });
    processes.push(...relays, saga, carrier, notifications);
    await Promise.all(processes.map((p) => p.start()));

    // Load: orders at an even pace over placeOverMs; a share cancelled by their buyer. Every
    // customer's cart holds an address and a method (four destinations), every third the code.
    const users = await prepareCustomers(cartPool, 25, o.codeEvery ?? 3);
    // The run has no user service and seeds its products in SQL: their events, as the relays
    // would publish them, give the notifications worker the customers' addresses.
    const customers = customerProfiles(users, runId);
    await publishReadModelEvents(broker.kafka(), customers, products);
    const deps: PlacingDeps = {
      orders: orderPool,
      catalog: catalogPool,
      cart: cartPool,
      prisma,
      products,
    };
    let placed = 0;
    let refused = 0;
    const refusals: Record<string, number> = {};
    const cancels = { cancelled: 0, tooLate: 0 };
    const pending: Promise<unknown>[] = [];
    const placeStart = performance.now();
    let placedAfterMs = 0;
    const placing = (async () => {
      const t0 = performance.now();
      for (let i = 0; i < o.orders; i++) {
        const due = t0 + (i * o.placeOverMs) / o.orders;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const cart = (small = false) => {
          const lineCount = small ? 1 : 1 + Math.floor(random() * 3);
          const picked = new Set<number>();
          while (picked.size < lineCount) picked.add(Math.floor(random() * productCount));
          return [...picked].map((k) => ({
            productId: products[k]!.id,
            quantity: small ? 1 : 1 + Math.floor(random() * 2) + (random() < 0.3 ? 1 : 0),
          }));
        };
        const userId = users[Math.floor(random() * users.length)]!;
        const cancelAfter = random() < (o.cancelShare ?? 0.1) ? random() * 1500 : undefined;
        pending.push(
          (async () => {
            // A buyer told OUT_OF_STOCK at checkout tries again with one unit of another
            // product, so the run places its number of orders even when stock runs short.
            let r = await placeOrder(deps, userId, cart());
            for (let tries = 1; 'refused' in r && tries < 20; tries++) {
              refused++;
              refusals[r.refused] = (refusals[r.refused] ?? 0) + 1;
              r = await placeOrder(deps, userId, cart(true));
            }
            if ('refused' in r) {
              refusals[r.refused] = (refusals[r.refused] ?? 0) + 1;
              return void refused++;
            }
            placed++;
            if (cancelAfter === undefined) return;
            await sleep(cancelAfter);
            const c = await cancelOrder(orderPool, r.placed);
            if ('cancelled' in c) cancels.cancelled++;
            else cancels.tooLate++;
          })(),
        );
      }
      await Promise.all(pending);
      placedAfterMs = performance.now() - placeStart;
    })();

    // Faults on a schedule while the orders come in: broker stops and relay kills run side
    // by side (a relay may well be killed while the broker is down).
    let midBatch = 0;
    let scheduledKills = 0;
    const placingUntil = performance.now() + o.placeOverMs;
    // While the broker is stopped or starting again nothing flows: the fault schedules of the
    // carrier, the notifications worker and the SMTP server wait it out (a worker killed then
    // dies idle, and an SMTP stop then meets no email).
    let brokerDown = false;
    const brokerUp = () =>
      waitUntil(() => !brokerDown, 120_000, 'the broker back for the next fault', 100);
    const brokerFaults = (async () => {
      const stops = o.brokerStops ?? 2;
      for (let k = 1; k <= stops; k++) {
        const at = placingUntil - o.placeOverMs + (k * o.placeOverMs) / (stops + 1);
        await sleep(Math.max(0, at - performance.now()));
        // Alternate a controlled shutdown and a crash (the next start recovers its log).
        const signal = k % 2 === 1 ? 'SIGTERM' : 'SIGKILL';
        const t = performance.now();
        brokerDown = true;
        await broker.restart(o.brokerDownMs ?? 5000, signal).finally(() => (brokerDown = false));
        log(`  broker stopped (${signal}) and back after ${Math.round(performance.now() - t)} ms`);
      }
    })();
    const relayFaults = (async () => {
      const every = o.relayKillEveryMs ?? 6000;
      await sleep(every / 2);
      for (let k = 0; performance.now() < placingUntil; k++) {
        const relay = relays[k % relays.length]!;
        // Wait for it to hold a batch open (claimed, not yet marked), then kill it there.
        if (
          await waitForOpenBatch(
            k % 2 === 0 ? orderPool : catalogPool,
            relay.spec.env.RELAY_NAME!,
            2000,
          )
        )
          midBatch++;
        scheduledKills++;
        await relay.killAndRestart(300);
        await sleep(every);
      }
    })();
    // The saga worker dies too, in the middle of whatever it handles: its transactions roll
    // back, its offsets stay uncommitted, and the restarted worker meets those events again.
    let sagaKills = 0;
    const sagaFaults = (async () => {
      const every = o.sagaKillEveryMs ?? 0;
      if (every <= 0) return;
      await sleep(every);
      while (performance.now() + every / 2 < placingUntil) {
        sagaKills++;
        await saga.killAndRestart(300);
        await sleep(every);
      }
    })();
    // The carrier and the notifications worker die the same way, whatever they are doing (a
    // step half made, an email half sent); their schedules are offset from each other's.
    // Every SIGKILL of the notifications worker and every SMTP stop is noted: a message the
    // server accepted just before one may be sent again (SMTP has no exactly-once).
    const disruptions: number[] = [];
    const killEvery = (
      target: SupervisedProcess,
      every: number | undefined,
      firstAt: number,
      noted: boolean,
    ) =>
      (async () => {
        if (!every || every <= 0) return;
        await sleep(firstAt);
        while (performance.now() + every / 4 < placingUntil) {
          await brokerUp();
          if (noted) disruptions.push(Date.now());
          const t = performance.now();
          await target.killAndRestart(300);
          log(
            `  ${target.spec.name} SIGKILLed, up again after ${Math.round(performance.now() - t)} ms`,
          );
          await sleep(every);
        }
      })();
    const carrierFaults = killEvery(
      carrier,
      o.carrierKillEveryMs,
      (o.carrierKillEveryMs ?? 0) / 2,
      false,
    );
    const notificationsFaults = killEvery(
      notifications,
      o.notificationsKillEveryMs,
      o.notificationsKillEveryMs ?? 0,
      true,
    );
    // The SMTP server stops (SIGTERM, SIGKILL after 0.5 s: maildev would wait up to 30 s for
    // the worker's pooled connections) and starts again on the same ports and mail folder, at
    // a moment emails are going out (one sent within the last second).
    let smtpStops = 0;
    const mailFlowing = async () =>
      !brokerDown &&
      (
        await notificationsPool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM emails WHERE sent_at > now() - interval '1 second'`,
        )
      ).rows[0]!.n > 0;
    const smtpFaults = (async () => {
      const stops = o.smtpStops ?? 0;
      // Spread over placement, each moved to the middle between two broker stops (or before
      // the first, after the last), when events, and so emails, flow.
      const gaps = (o.brokerStops ?? 2) + 1;
      const between = (f: number) =>
        (Math.min(gaps - 1, Math.max(0, Math.round(f * gaps - 0.5))) + 0.5) / gaps;
      for (let k = 1; k <= stops; k++) {
        const at = placingUntil - o.placeOverMs + between((k - 0.5) / stops) * o.placeOverMs;
        await sleep(Math.max(0, at - performance.now()));
        // The notifications worker may be deaf for a minute (killed, its group waiting out the
        // dead member's session); not forever, though.
        const flowing = await waitUntil(mailFlowing, 90_000, 'emails going out', 100).then(
          () => true,
          () => false,
        );
        if (!flowing) log('  no email going out for 90 s: the SMTP server is stopped anyway');
        const t = performance.now();
        await maildev.stop(500);
        // When it died: a message it took just before may not have had its 250 delivered.
        disruptions.push(Date.now());
        await sleep(o.smtpDownMs ?? 3000);
        await maildev.start();
        smtpStops++;
        log(`  SMTP server stopped and back after ${Math.round(performance.now() - t)} ms`);
      }
    })();
    const faults = Promise.all([
      brokerFaults,
      relayFaults,
      sagaFaults,
      carrierFaults,
      notificationsFaults,
      smtpFaults,
    ]);
    await Promise.all([placing, faults]);
    const placeMs = performance.now() - placeStart;
    log(
      `  placed ${placed}, refused at checkout ${refused}, in ${Math.round(placedAfterMs)} ms (the fault schedule ended after ${Math.round(placeMs)} ms)`,
    );

    // Drain: every order terminal, every completed one delivered or (its parcel lost) refunded
    // with the carrier's schedule ended, both outboxes empty of pending rows, no consumer lag
    // and no email left to send, for a while.
    const drainStart = performance.now();
    const lagGroups: [string, string[]][] = [
      // One consumer group for the whole saga, named after it.
      [sagaName, [TOPICS.orders.name, TOPICS.stock.name, TOPICS.payments.name]],
      [`${carrierName}-orders`, [TOPICS.orders.name]],
      [notificationsName, consumedEvents().topics],
    ];
    const quiet = async () => {
      const open = await orderPool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM orders WHERE status NOT IN ('COMPLETED', 'CANCELLED')`,
      );
      const unfulfilled = await orderPool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM orders o
           LEFT JOIN carrier_schedule s ON s.order_id = o.id
           LEFT JOIN payments p ON p.order_id = o.id
          WHERE o.status = 'COMPLETED'
            AND (s.order_id IS NULL OR s.next_step IS NOT NULL
                 OR NOT (o.fulfillment_status = 'DELIVERED' OR p.status = 'refunded'))`,
      );
      const unsent = await notificationsPool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM emails WHERE status = 'pending'`,
      );
      const outbox = async (db: pg.Pool) =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM outbox_events WHERE status = 'pending'`,
          )
        ).rows[0]!.n;
      return (
        open.rows[0]!.n === 0 &&
        unfulfilled.rows[0]!.n === 0 &&
        unsent.rows[0]!.n === 0 &&
        (await outbox(orderPool)) === 0 &&
        (await outbox(catalogPool)) === 0 &&
        (await consumerLag(broker, lagGroups)) === 0
      );
    };
    const settle = async (timeoutMs: number) => {
      let quietSince = 0;
      await waitUntil(
        async () => {
          if (!(await quiet())) return (quietSince = 0) !== 0;
          quietSince ||= performance.now();
          // Quiet for 3 s: the last published events (refunds, releases) had time to land.
          return performance.now() - quietSince > 3000;
        },
        timeoutMs,
        'the run to go quiet (orders terminal, delivered or refunded, outboxes and emails sent)',
        250,
      );
    };
    await settle(o.drainTimeoutMs ?? 120_000).catch((error: unknown) =>
      log(`  ${(error as Error).message}`),
    );

    // Dead letters are the operator's to replay once the cause is fixed: here the cause is the
    // chaos switch, so the saga restarts without it and the letters are replayed.
    const sagaMetrics = await saga.metrics();
    const kafka = broker.kafka();
    const letters = await listDeadLetters(kafka);
    let replayed = 0;
    if (letters.length > 0) {
      log(`  ${letters.length} dead letter(s): ${letters.map((l) => l.reason).join(' | ')}`);
      await saga.stop();
      saga = new SupervisedProcess({ ...saga.spec, env: sagaEnv(0) });
      processes.push(saga);
      await saga.start();
      replayed = await replayDeadLetters(kafka, letters);
      await settle(o.drainTimeoutMs ?? 120_000).catch((error: unknown) =>
        log(`  ${(error as Error).message}`),
      );
    }
    const drainMs = performance.now() - drainStart;
    await Promise.all(processes.map((p) => p.stop()));

    const verdict = await verify(orderPool, catalogPool, products, sagaName, {
      notificationsDb: notificationsPool,
      carrierConsumer: `${carrierName}-orders`,
      maxShipments,
      customers,
      inbox: readInbox(maildev.mailDir),
      disruptions,
    });
    const stat = (name: string) => metricSum(sagaMetrics, name);
    return {
      ...verdict,
      placed,
      refusedAtCheckout: refused,
      refusals,
      cancelRequests: cancels,
      relayKills: {
        scheduled: scheduledKills,
        midBatch,
        chaosCrashes: relays.reduce((n, r) => n + r.crashes, 0),
      },
      sagaKills,
      carrierKills: carrier.kills,
      notificationsKills: notifications.kills,
      smtpStops,
      brokerRestarts: broker.restarts,
      duplicatesAbsorbed: stat('saga_messages_duplicates_total'),
      handlerRetries: stat('saga_messages_retries_total'),
      deadLettered: stat('saga_messages_dead_lettered_total'),
      consumerCrashes: stat('saga_messages_crashes_total'),
      consumerRestarts: stat('saga_messages_restarts_total'),
      replayed,
      timings: { placeMs, drainMs, totalMs: performance.now() - started },
      logDir,
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop(2000)));
    await broker.destroy();
    await maildev.remove();
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await prisma.$disconnect();
    await orderPool.end();
    await catalogPool.end();
    await cartPool.end();
    await notificationsPool.end();
  }
}

/** Keeps the logs of the last `keep` runs. */
function pruneOldLogs(dir: string, keep: number): void {
  if (!existsSync(dir)) return;
  const runs = readdirSync(dir)
    .filter((name) => name.startsWith('fault-run-'))
    .map((name) => ({ name, at: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of runs.slice(keep))
    rmSync(path.join(dir, old.name), { recursive: true, force: true });
}

/**
 * Messages the consumer groups (`[group, topics]`) have not committed yet: an order can be
 * terminal (timed out) while a compensation for it still waits in a topic, and delivered while
 * its email's event still does.
 */
async function consumerLag(broker: PrivateBroker, groups: [string, string[]][]): Promise<number> {
  const admin = broker.kafka().admin();
  try {
    await admin.connect();
    let lag = 0;
    for (const [groupId, topics] of groups) {
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const at = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          lag += Number(end.high) - (at === '-1' ? Number(end.low) : Number(at));
        }
      }
    }
    return lag;
  } catch {
    return Number.POSITIVE_INFINITY; // the broker is not answering: not quiet
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** True once the relay's database session sits inside a transaction (a claimed batch). */
async function waitForOpenBatch(db: pg.Pool, applicationName: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND state IN ('idle in transaction', 'active')
          AND xact_start IS NOT NULL AND query NOT LIKE 'LISTEN%'`,
      [applicationName],
    );
    if (rows[0]!.n > 0) return true;
    await sleep(5);
  }
  return false;
}

export function formatReport(r: FaultRunReport): string {
  const f = r.figures;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `orders placed        ${r.placed} (refused at checkout: ${r.refusedAtCheckout} ${JSON.stringify(r.refusals)})`,
    `checkout             ${f.checkout.withTax} with tax, ${f.checkout.withShipping} with shipping charged, ${f.checkout.withCode} with ${f.checkout.codes.map((c) => `${c.code} (used ${c.used})`).join(', ')}`,
    `completed            ${f.completed}`,
    `cancelled            ${Object.values(f.cancelledByReason).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(f.cancelledByReason).map(([k, n]) => `  ${k.padEnd(40)} ${n}`),
    `not terminal         ${f.notTerminal}`,
    `buyer cancels        ${r.cancelRequests.cancelled} applied, ${r.cancelRequests.tooLate} too late`,
    `payments             ${JSON.stringify(f.payments)}`,
    `units sold / left    ${f.unitsSold} / ${f.unitsLeft}`,
    `outbox rows          order ${JSON.stringify(f.outbox.order)}, catalog ${JSON.stringify(f.outbox.catalog)}`,
    `duplicates absorbed  ${r.duplicatesAbsorbed} (inbox), handler retries ${r.handlerRetries}`,
    `dead letters         ${r.deadLettered} (replayed after the fix: ${r.replayed})`,
    `consumer crashes     ${r.consumerCrashes} (${r.consumerRestarts} not restarted by kafkajs, restarted by the runtime)`,
    `relay kills          ${r.relayKills.scheduled} scheduled SIGKILLs (${r.relayKills.midBatch} mid-batch), ${r.relayKills.chaosCrashes} chaos crashes`,
    `saga kills           ${r.sagaKills} scheduled SIGKILLs of the saga worker`,
    `carrier kills        ${r.carrierKills}, notifications kills ${r.notificationsKills}, SMTP stops ${r.smtpStops}`,
    `fulfilment           ${f.fulfilment.delivered} delivered; ${f.fulfilment.lostParcels} parcels lost: ${f.fulfilment.reshipments} re-shipped (${f.fulfilment.reshippedOrders} orders), ${f.fulfilment.lostAndRefunded} orders refunded; ${f.fulfilment.refundedAfterCancel} refunded after a cancel`,
    `emails               ${f.emails.expected} owed, ${JSON.stringify(f.emails.byStatus)}; sent ${JSON.stringify(f.emails.sentByKind)}`,
    `inbox                ${f.emails.inbox} messages (${f.emails.cutOff} cut off by an SMTP stop, ${f.emails.crashWindowDuplicates} second copies from a crash between 250 and the sent mark); ${f.emails.retried} emails retried, at most ${f.emails.maxAttempts} attempts`,
    `broker restarts      ${r.brokerRestarts}`,
    `duration             ${s(r.timings.totalMs)} (placing and faults ${s(r.timings.placeMs)}, drain ${s(r.timings.drainMs)}), ${(r.placed / (r.timings.totalMs / 1000)).toFixed(1)} orders/s`,
    `violations           ${r.violations.length === 0 ? 'none' : r.violations.length}`,
    ...r.violations.slice(0, 40).map((v) => `  - ${v}`),
    `logs                 ${r.logDir}`,
  ];
  return lines.join('\n');
}
