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
}

let cached: Versions | undefined;

/** stack/versions.json, read once (JSON import attributes are not yet stable on Node 20). */
export function versions(): Versions {
  cached ??= JSON.parse(
    readFileSync(path.join(stackPackageDir, 'versions.json'), 'utf8'),
  ) as Versions;
  return cached;
}
