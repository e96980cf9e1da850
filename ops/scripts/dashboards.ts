/**
 * The operations dashboards, defined once and rendered twice: as Grafana dashboards (JSON,
 * provisioned by docker-compose) and as Prometheus console pages (HTML served by Prometheus
 * itself at /consoles/, for the local stack, where Grafana cannot be installed). Both are written
 * by `npm run ops:generate`.
 *
 * Metrics: the services' (packages/observability: HTTP, and per GraphQL operation
 * `graphql_operations_total` and `graphql_operation_duration_seconds`), the relays'
 * (events/src/relay), the workers' (events/src/worker/serve-worker.ts: `<prefix>_messages_*_total`,
 * `dead_letters_total`, `kafka_consumer_lag`), the saga's (workers/saga/src/saga-metrics.ts:
 * `orders_total`, `saga_step_duration_seconds`) and the gateway's subscriptions
 * (`gateway_subscription_*`).
 */

export interface Query {
  expr: string;
  /** Series name with `{{label}}` placeholders (Grafana's legend format). */
  legend: string;
}

export interface Panel {
  title: string;
  description: string;
  /** Grafana unit id (`s`, `reqps`, `short`, `percentunit`, ...). */
  unit: string;
  queries: Query[];
  /** A threshold drawn on the graph (the alert's, where there is one). */
  threshold?: number;
}

export interface Dashboard {
  /** Grafana uid and console page file name. */
  uid: string;
  title: string;
  description: string;
  panels: Panel[];
}

const q = (expr: string, legend: string): Query => ({ expr, legend });

export const DASHBOARDS: Dashboard[] = [
  {
    uid: 'shop-order-flow',
    title: 'Order flow',
    description:
      'Orders through the saga: the funnel, how long each step takes, events published against events handled, and failures (the chaos switch injects them too).',
    panels: [
      {
        title: 'Orders per minute: placed, completed, cancelled by reason',
        description:
          'The order funnel (orders_total, from the order service and the saga): completed + cancelled catch up with placed. Cancellations by reason: stock_rejected, payment_failed, timeout (a step that never answered), customer, admin.',
        unit: 'short',
        queries: [
          q('sum by (event, reason) (rate(orders_total[5m])) * 60', '{{event}} {{reason}}'),
        ],
      },
      {
        title: 'Saga step latency, p95',
        description:
          'From the event that caused a step (written by the producing transaction) to the step done: relay, Kafka and handler, what a customer waits per step.',
        unit: 's',
        queries: [
          q(
            'histogram_quantile(0.95, sum by (le, step) (rate(saga_step_duration_seconds_bucket{outcome="ok"}[5m])))',
            '{{step}}',
          ),
        ],
      },
      {
        title: 'Events published and handled, per second',
        description:
          'What the relays published (outbox_events_published_total) against what the consumers handled (<worker>_messages_handled_total) and the analytics sink stored. A consumer that falls behind shows as lag on the event pipeline dashboard.',
        unit: 'reqps',
        queries: [
          q('sum by (job) (rate(outbox_events_published_total[1m]))', 'published by {{job}}'),
          q(
            'sum by (job) (rate({__name__=~".+_messages_handled_total"}[1m]))',
            'handled by {{job}}',
          ),
          q('sum by (job) (rate(analytics_sink_events_total[1m]))', 'stored by {{job}}'),
        ],
      },
      {
        title: 'Failures and retries (the chaos switch included)',
        description:
          'Relay batches that failed and were retried (a chaos publish failure is one), saga step attempts that failed, handler retries and dead letters. With the chaos switch on (CHAOS_* settings) these are the injected failures; off, they are real ones.',
        unit: 'reqps',
        queries: [
          q('sum by (job) (rate(outbox_batch_failures_total[1m]))', 'relay batch failures {{job}}'),
          q(
            'sum by (step) (rate(saga_step_duration_seconds_count{outcome="error"}[1m]))',
            'failed step {{step}}',
          ),
          q('sum by (job) (rate({__name__=~".+_messages_retries_total"}[1m]))', 'retries {{job}}'),
          q('sum by (job) (rate(dead_letters_total[1m]))', 'dead letters {{job}}'),
        ],
      },
    ],
  },
  {
    uid: 'shop-gateway',
    title: 'Gateway',
    description:
      'The public GraphQL endpoint: rate, errors and duration per operation, HTTP answers, subscriptions, and the subgraphs behind it.',
    panels: [
      {
        title: 'Operations per second',
        description: 'GraphQL operations the gateway executed, by operation name.',
        unit: 'reqps',
        queries: [
          q(
            'sum by (operation) (rate(graphql_operations_total{job="gateway"}[1m]))',
            '{{operation}}',
          ),
        ],
      },
      {
        title: 'Errors per second',
        description: 'Operations that answered with errors, by operation name.',
        unit: 'reqps',
        queries: [
          q(
            'sum by (operation) (rate(graphql_operations_total{job="gateway",outcome="error"}[1m]))',
            '{{operation}}',
          ),
        ],
      },
      {
        title: 'Duration p95 by operation',
        description: 'From the request to the response, per operation name.',
        unit: 's',
        queries: [
          q(
            'histogram_quantile(0.95, sum by (le, operation) (rate(graphql_operation_duration_seconds_bucket{job="gateway"}[5m])))',
            '{{operation}}',
          ),
        ],
      },
      {
        title: 'HTTP answers on /graphql by status',
        description:
          'GraphQL errors arrive inside a 200 (the panels above and the GatewayErrorRate alert count them); 4xx are refused requests (limits, bad JSON), 5xx the server failing.',
        unit: 'reqps',
        queries: [
          q(
            'sum by (status) (rate(http_requests_total{job="gateway",route="/graphql"}[1m]))',
            '{{status}}',
          ),
        ],
      },
      {
        title: 'HTTP duration on /graphql: p50, p95, p99',
        description: 'All operations together, as the HTTP server measures them.',
        unit: 's',
        queries: ['0.5', '0.95', '0.99'].map((quantile) =>
          q(
            `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{job="gateway",route="/graphql"}[5m])))`,
            `p${Number(quantile) * 100}`,
          ),
        ),
      },
      {
        title: 'Subscriptions: connections, subscriptions and deliveries per second',
        description:
          'graphql-ws connections and client subscriptions open at the gateway, and events pushed to subscribers per second.',
        unit: 'short',
        queries: [
          q('sum(gateway_subscription_connections{job="gateway"})', 'connections'),
          q('sum(gateway_subscription_watchers{job="gateway"})', 'subscriptions'),
          q('sum(rate(gateway_subscription_deliveries_total{job="gateway"}[1m]))', 'deliveries/s'),
        ],
      },
      {
        title: 'Response cache: hits, misses and purges per second',
        description:
          'Anonymous queries answered from Redis or not, and the catalog events that purged answers (RESPONSE_CACHE; no series when it is off).',
        unit: 'short',
        queries: [
          q(
            'sum(rate(gateway_response_cache_lookups_total{job="gateway",result="hit"}[1m]))',
            'hits/s',
          ),
          q(
            'sum(rate(gateway_response_cache_lookups_total{job="gateway",result="miss"}[1m]))',
            'misses/s',
          ),
          q(
            'sum(rate(gateway_response_cache_purges_total{job="gateway"}[1m]))',
            'purging events/s',
          ),
          q(
            'sum(rate(gateway_response_cache_purged_entries_total{job="gateway"}[1m]))',
            'answers purged/s',
          ),
        ],
      },
      {
        title: 'Subgraphs: operations and errors per second',
        description: 'What each subgraph executed for the gateway (and its error share).',
        unit: 'reqps',
        queries: [
          q('sum by (job) (rate(graphql_operations_total{job!="gateway"}[1m]))', '{{job}}'),
          q(
            'sum by (job) (rate(graphql_operations_total{job!="gateway",outcome="error"}[1m]))',
            '{{job}} errors',
          ),
        ],
      },
    ],
  },
  {
    uid: 'shop-event-pipeline',
    title: 'Event pipeline',
    description:
      'Outbox, Kafka and consumers: rows waiting and failed per relay, consumer lag per group and partition, dead letters, and which processes are up.',
    panels: [
      {
        title: 'Consumer lag by group',
        description:
          'Messages each consumer group has not committed yet, summed over its partitions (kafka_consumer_lag, exported by the workers running the group).',
        unit: 'short',
        queries: [
          q('sum by (group) (max by (group, topic, partition) (kafka_consumer_lag))', '{{group}}'),
        ],
      },
      {
        title: 'Consumer lag by partition',
        description:
          'The ConsumerLagGrowing alert fires for a partition whose lag grew over its window and never caught up.',
        unit: 'short',
        queries: [
          q(
            'max by (group, topic, partition) (kafka_consumer_lag)',
            '{{group}} {{topic}}/{{partition}}',
          ),
        ],
      },
      {
        title: 'Outbox rows pending',
        description: 'Rows waiting to be published, per relay (its database).',
        unit: 'short',
        queries: [q('max by (job) (outbox_events_pending)', '{{job}}')],
      },
      {
        title: 'Oldest pending outbox row',
        description: 'How long it has waited; the OutboxPendingTooOld alert fires above a minute.',
        unit: 's',
        threshold: 60,
        queries: [q('max by (job) (outbox_oldest_pending_age_seconds)', '{{job}}')],
      },
      {
        title: 'Outbox rows failed',
        description:
          'Rows Kafka kept rejecting, which the relay gave up on: they wait for a person (the OutboxRowsFailed alert).',
        unit: 'short',
        threshold: 0,
        queries: [q('max by (job) (outbox_events_failed)', '{{job}}')],
      },
      {
        title: 'Dead letters in the last hour',
        description:
          'Messages sent to the dead-letter topic, by worker and consumer (the DeadLetters alert). List and replay them with the dlq command.',
        unit: 'short',
        queries: [
          q('sum by (job, consumer) (increase(dead_letters_total[1h]))', '{{job}} {{consumer}}'),
        ],
      },
      {
        title: 'Relay batch duration, p95',
        description: 'Claim, publish and mark one batch of outbox rows.',
        unit: 's',
        queries: [
          q(
            'histogram_quantile(0.95, sum by (le, job) (rate(outbox_batch_duration_seconds_bucket[5m])))',
            '{{job}}',
          ),
        ],
      },
      {
        title: 'Processes up',
        description:
          '1 when Prometheus scrapes the process; the ServiceDown alert fires after a minute at 0.',
        unit: 'short',
        queries: [q('up', '{{job}}')],
      },
    ],
  },
];

/** A Grafana dashboard (schema 39) for the provisioned Prometheus datasource (uid `prometheus`). */
export function grafanaDashboard(dashboard: Dashboard): unknown {
  const datasource = { type: 'prometheus', uid: 'prometheus' };
  return {
    uid: dashboard.uid,
    title: `Tackle shop: ${dashboard.title}`,
    description: dashboard.description,
    tags: ['tackle-shop'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    templating: { list: [] },
    annotations: { list: [] },
    links: DASHBOARDS.filter((d) => d.uid !== dashboard.uid).map((d) => ({
      type: 'link',
      title: d.title,
      url: `/d/${d.uid}`,
    })),
    panels: dashboard.panels.map((panel, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: panel.title,
      description: panel.description,
      datasource,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: {
        defaults: {
          unit: panel.unit,
          ...(panel.threshold !== undefined
            ? {
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { color: 'green', value: null },
                    { color: 'red', value: panel.threshold },
                  ],
                },
                custom: { thresholdsStyle: { mode: 'line' } },
              }
            : {}),
        },
        overrides: [],
      },
      options: {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
      targets: panel.queries.map((query, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource,
        expr: query.expr,
        legendFormat: query.legend,
      })),
    })),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A Prometheus console page (Go template, rendered by Prometheus at /consoles/<uid>.html): the
 * same panels as graphs of Prometheus' console library. `shop.lib` (ops/prometheus/
 * console_libraries) holds the page frame.
 */
export function consolePage(dashboard: Dashboard): string {
  const graphs = dashboard.panels
    .map((panel, i) => {
      const id = `graph${i}`;
      // Console graphs name series with [[label]]; the page is a Go template, which would read
      // {{label}} as an action. Nothing else here has double braces.
      const names = panel.queries.map((query) => query.legend.replace(/\{\{(\w+)\}\}/g, '[[$1]]'));
      const unit = { s: 's', reqps: '/s' }[panel.unit] ?? '';
      return `<h3>${escapeHtml(panel.title)}</h3>
<p class="text-muted">${escapeHtml(panel.description)}</p>
<div id="${id}"></div>
<script>
new PromConsole.Graph({
  node: document.querySelector('#${id}'),
  expr: ${JSON.stringify(panel.queries.map((query) => query.expr))},
  name: ${JSON.stringify(names)},
  yUnits: ${JSON.stringify(unit)},
  yAxisFormatter: PromConsole.NumberFormatter.humanizeNoSmallPrefix,
  yHoverFormatter: PromConsole.NumberFormatter.humanizeExact,
});
</script>`;
    })
    .join('\n\n');
  return `{{/* Generated by \`npm run ops:generate\` from ops/scripts/dashboards.ts: edit that file. */}}
{{ template "shop_head" "${dashboard.title}" }}
<h1>${escapeHtml(dashboard.title)}</h1>
<p>${escapeHtml(dashboard.description)}</p>
{{ template "shop_alerts" }}

${graphs}

{{ template "shop_tail" }}
`;
}

/** The consoles' start page: the dashboards, the alerts firing, and every scrape target. */
export function consoleIndex(): string {
  const links = DASHBOARDS.map(
    (d) =>
      `<li><a href="{{ pathPrefix }}/consoles/${d.uid}.html">${escapeHtml(d.title)}</a>: ${escapeHtml(d.description)}</li>`,
  ).join('\n');
  return `{{/* Generated by \`npm run ops:generate\` from ops/scripts/dashboards.ts: edit that file. */}}
{{ template "shop_head" "operations" }}
<h1>Tackle shop operations</h1>
<ul>
${links}
</ul>
{{ template "shop_alerts" }}
<table class="table table-sm table-bordered" style="width: auto">
<tr><th>Process</th><th>Address</th><th>Up</th></tr>
{{ range query "up" | sortByLabel "job" }}
<tr{{ if ne (. | value) 1.0 }} class="table-danger"{{ end }}><td>{{ .Labels.job }}</td><td>{{ .Labels.instance }}</td><td>{{ if eq (. | value) 1.0 }}yes{{ else }}no{{ end }}</td></tr>
{{ end }}
</table>
{{ template "shop_tail" }}
`;
}
