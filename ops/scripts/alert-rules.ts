/**
 * The alert rules: what needs a person. Every Prometheus of the project loads them (the stack's,
 * docker-compose's, and the private ones tests start); `ops/prometheus/alerts.yml` is written
 * from DEFAULT_ALERT_PARAMS by `npm run ops:generate`, and tests write a copy with shorter windows.
 *
 * Every threshold, window and `for:` is a parameter, so a test can make an alert fire in seconds
 * with the same expression that pages in minutes.
 */
import { stringify } from 'yaml';

/** A Prometheus duration: `30s`, `5m`, `1h`. */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h'}`;

export interface AlertParams {
  /** A scrape target that does not answer (`up == 0`) for this long. */
  serviceDown: { for: Duration };
  /** Outbox rows the relay gave up on (Kafka kept rejecting them): any, for this long. */
  outboxFailed: { for: Duration };
  /** The oldest pending outbox row older than `seconds`, for this long. */
  outboxStale: { seconds: number; for: Duration };
  /** A message sent to the dead-letter topic within `window`. */
  deadLetters: { window: Duration; for: Duration };
  /**
   * A partition whose lag grew over `window` and never fell to `min` or below in it: the group
   * is not catching up (stopped, stuck on a message, or too slow), for `for`.
   */
  consumerLag: { window: Duration; min: number; for: Duration };
  /** More than `max` orders cancelled by a saga step timeout within `window`. */
  sagaTimeouts: { window: Duration; max: number; for: Duration };
  /**
   * More than `ratio` of the gateway's GraphQL operations answered with errors within `window`,
   * while it serves at least `minRate` operations per second (two failures of three requests at
   * night are not a page).
   */
  gatewayErrors: { window: Duration; ratio: number; minRate: number; for: Duration };
}

export const DEFAULT_ALERT_PARAMS: AlertParams = {
  serviceDown: { for: '1m' },
  outboxFailed: { for: '0m' },
  outboxStale: { seconds: 60, for: '1m' },
  deadLetters: { window: '10m', for: '0m' },
  consumerLag: { window: '5m', min: 0, for: '1m' },
  sagaTimeouts: { window: '10m', max: 2, for: '0m' },
  gatewayErrors: { window: '5m', ratio: 0.05, minRate: 0.1, for: '5m' },
};

/** Partial params over the defaults (a test shortens only the windows it needs). */
export type AlertParamsOverride = { [K in keyof AlertParams]?: Partial<AlertParams[K]> };

export function alertParams(override: AlertParamsOverride = {}): AlertParams {
  const merged = { ...DEFAULT_ALERT_PARAMS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(override))
    merged[key] = { ...DEFAULT_ALERT_PARAMS[key as keyof AlertParams], ...value };
  return merged as unknown as AlertParams;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: Duration;
  labels: { severity: 'page' | 'ticket' };
  annotations: { summary: string; description: string };
}

/**
 * The metrics each rule reads, and where they come from: a test checks that a running system
 * exports every one of them (a renamed metric would leave its rule silently dead). `pending`
 * names a metric whose exporter is being added elsewhere; the check passes over it until then.
 */
export const RULE_METRICS: Record<string, { from: string; pending?: string }> = {
  up: { from: 'Prometheus itself, per target' },
  outbox_events_failed: { from: 'each relay (events/src/relay/outbox-gauges.ts)' },
  outbox_oldest_pending_age_seconds: { from: 'each relay (events/src/relay/outbox-gauges.ts)' },
  dead_letters_total: { from: 'each consumer worker (events/src/worker/serve-worker.ts)' },
  kafka_consumer_lag: { from: 'each consumer worker (events/src/worker/serve-worker.ts)' },
  orders_total: {
    from: 'the order funnel (@shop/observability order-funnel.ts): the order service and the saga worker',
  },
  graphql_operations_total: {
    from: 'the gateway and the subgraphs (packages/subgraph-kit operationMetricsPlugin)',
  },
};

/** The rules for `params`, in the order a person would look at them. */
export function alertRules(params: AlertParams = DEFAULT_ALERT_PARAMS): AlertRule[] {
  const p = params;
  const lagKey = 'group, topic, partition';
  // Every operation the gateway answered, and those answered with errors (a subgraph down or
  // failing shows here: the gateway still answers HTTP 200, with errors in the body).
  const gwOperations = (outcome?: string) =>
    `sum by (job) (rate(graphql_operations_total{job="gateway"${outcome ? `,outcome="${outcome}"` : ''}}[${p.gatewayErrors.window}]))`;
  return [
    {
      alert: 'ServiceDown',
      expr: 'up == 0',
      for: p.serviceDown.for,
      labels: { severity: 'page' },
      annotations: {
        summary: '{{ $labels.job }} is down',
        description:
          'Prometheus cannot scrape {{ $labels.job }} at {{ $labels.instance }}: the process is stopped, crashed or not answering /metrics.',
      },
    },
    {
      alert: 'OutboxRowsFailed',
      expr: 'max by (job) (outbox_events_failed) > 0',
      for: p.outboxFailed.for,
      labels: { severity: 'page' },
      annotations: {
        summary: '{{ $labels.job }}: {{ $value }} outbox rows failed',
        description:
          'Kafka kept rejecting these rows and the relay gave up on them: their events are not published. See them with `DATABASE_URL=... npm run outbox -w @shop/events -- failed`, fix the cause, then `requeue` them.',
      },
    },
    {
      alert: 'OutboxPendingTooOld',
      expr: `max by (job) (outbox_oldest_pending_age_seconds) > ${p.outboxStale.seconds}`,
      for: p.outboxStale.for,
      labels: { severity: 'page' },
      annotations: {
        summary: '{{ $labels.job }}: the oldest pending outbox row waits for {{ $value }}s',
        description: `An outbox row has waited more than ${p.outboxStale.seconds}s to be published: the relay is stopped, failing (Kafka or the database away) or not keeping up.`,
      },
    },
    {
      alert: 'DeadLetters',
      expr: `sum by (job, consumer) (increase(dead_letters_total[${p.deadLetters.window}])) > 0`,
      for: p.deadLetters.for,
      labels: { severity: 'ticket' },
      annotations: {
        summary: '{{ $labels.job }} sent messages to the dead-letter topic',
        description: `Messages of consumer {{ $labels.consumer }} went to the dead-letter topic in the last ${p.deadLetters.window}: list them with \`npm run dlq -w @shop/events -- list\`, fix the cause, replay them.`,
      },
    },
    {
      alert: 'ConsumerLagGrowing',
      expr: [
        `(max by (${lagKey}) (min_over_time(kafka_consumer_lag[${p.consumerLag.window}])) > ${p.consumerLag.min})`,
        `and on (${lagKey})`,
        `(max by (${lagKey}) (delta(kafka_consumer_lag[${p.consumerLag.window}])) > 0)`,
      ].join('\n'),
      for: p.consumerLag.for,
      labels: { severity: 'page' },
      annotations: {
        summary:
          'Consumer group {{ $labels.group }} falls behind on {{ $labels.topic }}/{{ $labels.partition }}',
        description: `The lag of {{ $labels.group }} on {{ $labels.topic }} partition {{ $labels.partition }} grew over ${p.consumerLag.window} and never fell to ${p.consumerLag.min} in it: its consumer is stopped consuming, stuck on a message, or too slow.`,
      },
    },
    {
      alert: 'SagaStepTimeouts',
      expr: `sum(increase(orders_total{event="cancelled",reason="timeout"}[${p.sagaTimeouts.window}])) > ${p.sagaTimeouts.max}`,
      for: p.sagaTimeouts.for,
      labels: { severity: 'page' },
      annotations: {
        summary: 'Orders are cancelled by saga step timeouts',
        description: `More than ${p.sagaTimeouts.max} orders in ${p.sagaTimeouts.window} waited too long for stock or payment and were cancelled: a saga party is stopped or failing.`,
      },
    },
    {
      alert: 'GatewayErrorRate',
      expr: [
        `(${gwOperations('error')} / ${gwOperations()}) > ${p.gatewayErrors.ratio}`,
        `and ${gwOperations()} > ${p.gatewayErrors.minRate}`,
      ].join('\n'),
      for: p.gatewayErrors.for,
      labels: { severity: 'page' },
      annotations: {
        summary:
          'The gateway answers {{ $value | humanizePercentage }} of its operations with errors',
        description: `More than ${p.gatewayErrors.ratio * 100}% of the GraphQL operations through the gateway answered with errors over ${p.gatewayErrors.window}: see which on the gateway dashboard (a subgraph down, a failing dependency).`,
      },
    },
  ];
}

/** The rules file Prometheus loads (`rule_files`). */
export function alertRulesYaml(params: AlertParams = DEFAULT_ALERT_PARAMS): string {
  return (
    '# Generated by `npm run ops:generate` from ops/scripts/alert-rules.ts: edit that file.\n' +
    stringify({ groups: [{ name: 'tackle-shop', rules: alertRules(params) }] }, { lineWidth: 0 })
  );
}
