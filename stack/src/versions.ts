import { readFileSync } from 'node:fs';
import { stackPackageDir } from './paths.ts';
import path from 'node:path';

export interface Versions {
  postgres: { version: string; embeddedPackage: string; image: string; host: string; port: number };
  redis: { version: string; image: string; host: string; port: number };
  kafka: { version: string; image: string; host: string; port: number; controllerPort: number };
  clickhouse: {
    version: string;
    image: string;
    host: string;
    httpPort: number;
    tcpPort: number;
    database: string;
  };
  elasticsearch: {
    version: string;
    runnerVersion: string;
    client: string;
    image: string;
    host: string;
    port: number;
    transportPort: number;
    clusterName: string;
  };
  maildev: {
    version: string;
    package: string;
    image: string;
    host: string;
    smtpPort: number;
    webPort: number;
  };
  /** Zipkin's server (trace backend): the `exec` jar of io.zipkin:zipkin-server from Maven Central. */
  zipkin: { version: string; image: string; host: string; port: number };
  /** Prometheus from Debian (`apt-get install prometheus`); the compose image runs the same version. */
  prometheus: { version: string; debianPackage: string; image: string; host: string; port: number };
  /** docker-compose only (no Debian package): dashboards over the compose Prometheus. */
  grafana: { version: string; image: string; port: number };
}

let cached: Versions | undefined;

/** stack/versions.json, read once (JSON import attributes are not yet stable on Node 20). */
export function versions(): Versions {
  cached ??= JSON.parse(
    readFileSync(path.join(stackPackageDir, 'versions.json'), 'utf8'),
  ) as Versions;
  return cached;
}
