import { fraction, hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The carrier's settings (apart from main.ts so tools can read them without starting it). */
export const carrierSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4018),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The order database: the orders it fulfils, its schedule, its inbox and the outbox. */
  ORDER_DATABASE_URL: url(['postgres', 'postgresql']),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  /** Redis: each step is announced for live order tracking (orderUpdated). */
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  CARRIER_WORKER_NAME: str({ default: 'carrier' }),
  /** The carrier named on a shipment when the order's shipping method names none. */
  CARRIER_NAME: str({ default: 'Simulated Parcel Co.' }),
  /** Delays: from OrderCompleted to PACKED, from PACKED to SHIPPED, from SHIPPED to DELIVERED. */
  CARRIER_PACK_DELAY_MS: int({ default: 2000, min: 0, max: 86_400_000 }),
  CARRIER_SHIP_DELAY_MS: int({ default: 5000, min: 0, max: 86_400_000 }),
  CARRIER_DELIVER_DELAY_MS: int({ default: 5000, min: 0, max: 86_400_000 }),
  /** From ReturnApproved to the returned parcel's arrival (RECEIVED). */
  CARRIER_RETURN_DELAY_MS: int({ default: 5000, min: 0, max: 86_400_000 }),
  /** Probability (0..1) that a shipped parcel is lost in transit (not delivered). */
  CARRIER_LOSS_RATE: fraction(0),
  /** A lost parcel is sent again (reship) or the order refunded (refund). */
  CARRIER_LOST_PARCEL: oneOf(['reship', 'refund'], 'reship'),
  /** Parcels sent at most for one order: a loss of the last one is refunded. */
  CARRIER_MAX_SHIPMENTS: int({ default: 3, min: 1, max: 10 }),
  /**
   * The longest the carrier sleeps between looks at its schedule. It wakes sooner when its next
   * step is due or when it schedules one; this bounds how late it sees a step another replica
   * scheduled.
   */
  CARRIER_POLL_MS: int({ default: 2000, min: 10, max: 60_000 }),
  CARRIER_MAX_ATTEMPTS: int({ default: 5, min: 1, max: 100 }),
  /**
   * Consumer group session: how long the group waits for a consumer that vanished (a crash)
   * before its partitions move to a live one; a restarted worker rejoins no sooner. The
   * broker's minimum is 6 s.
   */
  CARRIER_SESSION_TIMEOUT_MS: int({ default: 10_000, min: 6000, max: 300_000 }),
  CARRIER_PARTITIONS_CONCURRENTLY: int({ default: 3, min: 1, max: 64 }),
};
