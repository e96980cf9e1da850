import { existsSync } from 'node:fs';
import path from 'node:path';
import { createSearchClient, type SearchClient } from '@shop/search-client';
import type { StackEndpoints } from '../config.ts';
import { javaPrereqs } from '../java.ts';
import { mavenFetch } from '../maven.ts';
import { cacheDir, confDir, dataDir, ensureDir, logFile, stackPackageDir } from '../paths.ts';
import { spawnDetached } from '../process.ts';
import { versions } from '../versions.ts';
import type { Service } from './types.ts';

/*
 * Elasticsearch 7.10.2 is the last Apache-2.0 release, and the only one whose
 * modules are on Maven Central (republished by codelibs), which is all we can
 * download here. The client is pinned to @elastic/elasticsearch 7.13.0: 7.14+
 * clients run a product check that rejects this server (build_flavor "unknown"
 * here, "oss" in the -oss docker image) with ProductNotSupportedError, and 8.x
 * rejects it for lacking the x-elastic-product header.
 */

const cache = (): string => cacheDir(`elasticsearch-${versions().elasticsearch.runnerVersion}`);
const LAUNCHER = 'shop.stack.es.EsLauncher';

function client(e: StackEndpoints): SearchClient {
  return createSearchClient(e.elasticsearch.url, { maxRetries: 0, requestTimeout: 3000 });
}

export const elasticsearch: Service = {
  name: 'elasticsearch',
  marker: () => LAUNCHER,
  stopSignal: 'SIGTERM',
  stopGraceMs: 20_000,
  readyTimeoutMs: 120_000,
  address: (e) => `${e.elasticsearch.host}:${e.elasticsearch.port}`,
  ports: (e) => [
    { host: e.elasticsearch.host, port: e.elasticsearch.port, env: 'STACK_ES_PORT' },
    {
      host: e.elasticsearch.host,
      port: e.elasticsearch.transportPort,
      env: 'STACK_ES_TRANSPORT_PORT',
    },
  ],

  async healthy(e) {
    const es = client(e);
    try {
      const { body } = await es.cluster.health({ timeout: '2s' });
      return body.status === 'green' || body.status === 'yellow';
    } catch {
      return false;
    } finally {
      await es.close().catch(() => undefined);
    }
  },

  async missingPrereqs() {
    return javaPrereqs('elasticsearch', 11, !existsSync(path.join(cache(), '.complete')));
  },

  async start({ endpoints: e, progress }) {
    const dir = path.join(stackPackageDir, 'elasticsearch');
    const pom = path.join(dir, 'pom.xml');
    const out = cache();
    // `package` compiles the launcher; copy-dependencies caches every runtime jar.
    await mavenFetch({
      svc: 'elasticsearch',
      pom,
      outDir: out,
      inputs: [pom, path.join(dir, 'src/main/java/shop/stack/es/EsLauncher.java')],
      goals: ['package', 'dependency:copy-dependencies'],
      props: {
        'es.runner.version': versions().elasticsearch.runnerVersion,
        'stack.build.dir': path.join(out, 'build'),
        outputDirectory: path.join(out, 'lib'),
        includeScope: 'runtime',
      },
      progress,
    });
    const es = e.elasticsearch;
    return spawnDetached(
      'elasticsearch',
      'java',
      [
        '-Xms512m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        '-Dfile.encoding=UTF-8',
        '-Dio.netty.noUnsafe=true',
        '-Dlog4j2.formatMsgNoLookups=true',
        `-Dstack.es.home=${ensureDir(confDir('elasticsearch'))}`,
        `-Dstack.es.data=${ensureDir(dataDir('elasticsearch'))}`,
        `-Dstack.es.logs=${ensureDir(path.join(path.dirname(logFile('elasticsearch')), 'elasticsearch'))}`,
        `-Dstack.es.host=${es.host}`,
        `-Dstack.es.port=${es.port}`,
        `-Dstack.es.transportPort=${es.transportPort}`,
        `-Dstack.es.cluster=${es.clusterName}`,
        '-cp',
        `${path.join(out, 'build', 'stack-elasticsearch-0.jar')}:${path.join(out, 'lib')}/*`,
        LAUNCHER,
      ],
      { address: elasticsearch.address(e) },
    );
  },
};
