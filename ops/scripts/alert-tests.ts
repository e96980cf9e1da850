/**
 * Unit tests of the alert rules for `promtool test rules`: made-up series for each alert, one
 * that must fire it and, where an alert could fire by mistake, one that must not (a healthy
 * consumer whose lag comes and goes, payment cancellations beside timeouts, a quiet gateway).
 * Written beside alerts.yml by `npm run ops:generate`; ops/test/prometheus-files.test.ts runs it.
 */
import { stringify } from 'yaml';
import { alertRules, DEFAULT_ALERT_PARAMS, type AlertParams } from './alert-rules.ts';

interface ExpectedAlert {
  labels: Record<string, string>;
  /** `$value` as Prometheus prints it, for annotations that show it. */
  value?: number;
}

interface AlertCase {
  name: string;
  alert: string;
  /** promtool expanding notation, one sample per `interval`. */
  series: Record<string, string>;
  evalTime: string;
  expected: ExpectedAlert[];
}

const INTERVAL = '15s';

function cases(): AlertCase[] {
  const at = (job: string, port: number) => `job="${job}",instance="127.0.0.1:${port}"`;
  return [
    {
      name: 'a target that stops answering is down after a minute; the others are not',
      alert: 'ServiceDown',
      series: {
        [`up{${at('saga', 4012)}}`]: '1 1 1 0x10',
        [`up{${at('gateway', 4000)}}`]: '1x13',
      },
      evalTime: '2m',
      expected: [{ labels: { job: 'saga', instance: '127.0.0.1:4012' } }],
    },
    {
      name: 'failed outbox rows',
      alert: 'OutboxRowsFailed',
      series: {
        [`outbox_events_failed{${at('relay-order', 4010)}}`]: '0 0 2x10',
        [`outbox_events_failed{${at('relay-catalog', 4011)}}`]: '0x12',
      },
      evalTime: '1m',
      expected: [{ labels: { job: 'relay-order' }, value: 2 }],
    },
    {
      name: 'a pending outbox row older than a minute, for a minute',
      alert: 'OutboxPendingTooOld',
      series: {
        [`outbox_oldest_pending_age_seconds{${at('relay-catalog', 4011)}}`]: '0 0 90x10',
        [`outbox_oldest_pending_age_seconds{${at('relay-user', 4015)}}`]: '0 2 0 1 0x10',
      },
      evalTime: '2m',
      expected: [{ labels: { job: 'relay-catalog' }, value: 90 }],
    },
    {
      name: 'a message sent to the dead-letter topic',
      alert: 'DeadLetters',
      series: {
        [`dead_letters_total{${at('saga', 4012)},consumer="saga"}`]: '0 0 0 1x10',
        [`dead_letters_total{${at('cart-worker', 4016)},consumer="orders"}`]: '0x13',
      },
      evalTime: '2m',
      expected: [{ labels: { job: 'saga', consumer: 'saga' } }],
    },
    {
      name: 'a group whose lag only grows; not one whose lag comes and goes',
      alert: 'ConsumerLagGrowing',
      series: {
        [`kafka_consumer_lag{${at('saga', 4012)},group="saga",topic="orders",partition="0"}`]:
          '5+2x40',
        [`kafka_consumer_lag{${at('search-indexer', 4013)},group="search-indexer-products",topic="catalog.products",partition="1"}`]:
          '0 3 0 5 0 2 0 0 7 0 1 0 4 0 0 9 0 2 0 0 3 0 1 0 5 0 0 2 0 6 0 0 1 0 3 0 0 2 0 4 0',
      },
      evalTime: '7m',
      expected: [{ labels: { group: 'saga', topic: 'orders', partition: '0' } }],
    },
    {
      name: 'orders cancelled by timeouts, beside payment declines that do not count',
      alert: 'SagaStepTimeouts',
      series: {
        [`orders_total{${at('saga', 4012)},event="cancelled",reason="timeout"}`]: '0+1x40',
        [`orders_total{${at('saga', 4012)},event="cancelled",reason="payment_failed"}`]: '0+5x40',
      },
      evalTime: '5m',
      expected: [{ labels: {} }],
    },
    {
      name: 'the gateway failing a sixth of its operations for five minutes',
      alert: 'GatewayErrorRate',
      series: {
        [`graphql_operations_total{${at('gateway', 4000)},operation="Cart",type="query",outcome="ok"}`]:
          '0+150x40',
        [`graphql_operations_total{${at('gateway', 4000)},operation="Cart",type="query",outcome="error"}`]:
          '0+30x40',
        // A subgraph's errors are not the gateway's.
        [`graphql_operations_total{${at('catalog', 4001)},operation="Products",type="query",outcome="error"}`]:
          '0+300x40',
      },
      evalTime: '8m',
      expected: [{ labels: { job: 'gateway' }, value: 2 / 12 }],
    },
    {
      name: 'a quiet gateway: one failure in three operations is no page',
      alert: 'GatewayErrorRate',
      series: {
        [`graphql_operations_total{${at('gateway', 4000)},operation="Me",type="query",outcome="ok"}`]:
          '0+0.5x40',
        [`graphql_operations_total{${at('gateway', 4000)},operation="Me",type="query",outcome="error"}`]:
          '0+0.25x40',
      },
      evalTime: '8m',
      expected: [],
    },
  ];
}

/** Prometheus' text for a sample value ({{ $value }}) and humanizePercentage. */
function formatValue(value: number): string {
  return String(value);
}
function humanizePercentage(value: number): string {
  return `${Number((value * 100).toPrecision(4))}%`;
}

/** The few template forms the rules use: $labels.x, $value, $value | humanizePercentage. */
function render(template: string, labels: Record<string, string>, value: number | undefined) {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\{\{ \$value \| humanizePercentage \}\}/g, () => humanizePercentage(value ?? NaN))
    .replace(/\{\{ \$value \}\}/g, () => formatValue(value ?? NaN));
}

/** The promtool test file for `params` (default: what alerts.yml holds), naming `rulesFile`. */
export function alertTestsYaml(
  rulesFile = 'alerts.yml',
  params: AlertParams = DEFAULT_ALERT_PARAMS,
): string {
  const rules = new Map(alertRules(params).map((r) => [r.alert, r]));
  const tests = cases().map((c) => {
    const rule = rules.get(c.alert);
    if (!rule) throw new Error(`no rule ${c.alert}`);
    return {
      name: c.name,
      interval: INTERVAL,
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [
        {
          eval_time: c.evalTime,
          alertname: c.alert,
          exp_alerts: c.expected.map((e) => {
            const labels = { ...e.labels, severity: rule.labels.severity };
            return {
              exp_labels: labels,
              exp_annotations: {
                summary: render(rule.annotations.summary, labels, e.value),
                description: render(rule.annotations.description, labels, e.value),
              },
            };
          }),
        },
      ],
    };
  });
  return (
    '# Generated by `npm run ops:generate` from ops/scripts/alert-tests.ts: edit that file.\n' +
    stringify({ rule_files: [rulesFile], evaluation_interval: INTERVAL, tests }, { lineWidth: 0 })
  );
}
