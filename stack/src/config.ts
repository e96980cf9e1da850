import { versions } from './versions.ts';

/** Where each service is reached; defaults from stack/versions.json, overridable by env. */
export interface StackEndpoints {
  postgres: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    url: string;
  };
  redis: { host: string; port: number; url: string };
  kafka: { host: string; port: number; controllerPort: number; brokers: string[] };
  clickhouse: { host: string; httpPort: number; tcpPort: number; database: string; url: string };
  elasticsearch: {
    host: string;
    port: number;
    transportPort: number;
    clusterName: string;
    url: string;
  };
  /** The SMTP server (maildev) and its web inbox; `url` is the inbox (`GET /email` lists mail). */
  maildev: { host: string; smtpPort: number; webPort: number; url: string };
  /** The trace backend: spans go to `spansUrl` (Zipkin v2 JSON), people to `uiUrl`. */
  zipkin: { host: string; port: number; url: string; spansUrl: string; uiUrl: string };
  /** The stack's Prometheus (scrapes the dev system that `npm start` runs); `url` is its UI and API. */
  prometheus: { host: string; port: number; url: string };
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`${name}=${raw} is not a TCP port`);
  return port;
}
const envStr = (name: string, fallback: string): string => process.env[name] || fallback;

/** The URLs of the stack's services, computed from env and defaults only (starts nothing). */
export function stackEndpoints(): StackEndpoints {
  const v = versions();
  const pgHost = envStr('STACK_PG_HOST', v.postgres.host);
  const pgPort = envPort('STACK_PG_PORT', v.postgres.port);
  const pgUser = envStr('STACK_PG_USER', 'postgres');
  const pgPassword = process.env.STACK_PG_PASSWORD ?? '';
  const pgDb = envStr('STACK_PG_DATABASE', 'postgres');
  const auth = pgPassword
    ? `${encodeURIComponent(pgUser)}:${encodeURIComponent(pgPassword)}`
    : encodeURIComponent(pgUser);

  const redisHost = envStr('STACK_REDIS_HOST', v.redis.host);
  const redisPort = envPort('STACK_REDIS_PORT', v.redis.port);

  const kafkaHost = envStr('STACK_KAFKA_HOST', v.kafka.host);
  const kafkaPort = envPort('STACK_KAFKA_PORT', v.kafka.port);

  const chHost = envStr('STACK_CLICKHOUSE_HOST', v.clickhouse.host);
  const chHttp = envPort('STACK_CLICKHOUSE_HTTP_PORT', v.clickhouse.httpPort);

  const esHost = envStr('STACK_ES_HOST', v.elasticsearch.host);
  const esPort = envPort('STACK_ES_PORT', v.elasticsearch.port);

  const mailHost = envStr('STACK_MAILDEV_HOST', v.maildev.host);
  const mailWeb = envPort('STACK_MAILDEV_WEB_PORT', v.maildev.webPort);

  const zipkinHost = envStr('STACK_ZIPKIN_HOST', v.zipkin.host);
  const zipkinPort = envPort('STACK_ZIPKIN_PORT', v.zipkin.port);
  const zipkinUrl = `http://${zipkinHost}:${zipkinPort}`;

  const promHost = envStr('STACK_PROMETHEUS_HOST', v.prometheus.host);
  const promPort = envPort('STACK_PROMETHEUS_PORT', v.prometheus.port);

  return {
    postgres: {
      host: pgHost,
      port: pgPort,
      user: pgUser,
      password: pgPassword,
      database: pgDb,
      url: `postgres://${auth}@${pgHost}:${pgPort}/${encodeURIComponent(pgDb)}`,
    },
    redis: { host: redisHost, port: redisPort, url: `redis://${redisHost}:${redisPort}` },
    kafka: {
      host: kafkaHost,
      port: kafkaPort,
      controllerPort: envPort('STACK_KAFKA_CONTROLLER_PORT', v.kafka.controllerPort),
      brokers: [`${kafkaHost}:${kafkaPort}`],
    },
    clickhouse: {
      host: chHost,
      httpPort: chHttp,
      tcpPort: envPort('STACK_CLICKHOUSE_TCP_PORT', v.clickhouse.tcpPort),
      database: v.clickhouse.database,
      url: `http://${chHost}:${chHttp}`,
    },
    elasticsearch: {
      host: esHost,
      port: esPort,
      transportPort: envPort('STACK_ES_TRANSPORT_PORT', v.elasticsearch.transportPort),
      clusterName: v.elasticsearch.clusterName,
      url: `http://${esHost}:${esPort}`,
    },
    maildev: {
      host: mailHost,
      smtpPort: envPort('STACK_MAILDEV_SMTP_PORT', v.maildev.smtpPort),
      webPort: mailWeb,
      url: `http://${mailHost}:${mailWeb}`,
    },
    zipkin: {
      host: zipkinHost,
      port: zipkinPort,
      url: zipkinUrl,
      spansUrl: `${zipkinUrl}/api/v2/spans`,
      uiUrl: `${zipkinUrl}/zipkin/`,
    },
    prometheus: { host: promHost, port: promPort, url: `http://${promHost}:${promPort}` },
  };
}
