import { existsSync } from 'node:fs';
import path from 'node:path';
import { javaPrereqs } from '../java.ts';
import { mavenFetch } from '../maven.ts';
import { cacheDir, stackPackageDir } from '../paths.ts';
import type { Progress } from '../progress.ts';
import { spawnDetached } from '../process.ts';
import { versions } from '../versions.ts';
import type { Service } from './types.ts';

/*
 * Zipkin's server: the runnable `exec` jar of io.zipkin:zipkin-server from Maven Central (the only
 * source reachable here; Jaeger, Tempo and the OpenTelemetry Collector are not). It keeps spans in
 * memory (its default storage): traces are for looking at now, and a restart forgets them. It has
 * its own UI at /zipkin/ and takes spans as Zipkin v2 JSON at /api/v2/spans.
 */

const jarsDir = (): string => cacheDir(`zipkin-${versions().zipkin.version}`);
export const zipkinJar = (): string =>
  path.join(jarsDir(), `zipkin-server-${versions().zipkin.version}-exec.jar`);

/**
 * Spans kept in memory (Zipkin's default is 500,000): with a 256 MB heap the default would run
 * out of memory under a benchmark at full sampling; the oldest traces are dropped first.
 */
const MAX_SPANS = 100_000;

async function ensureJar(progress: Progress): Promise<void> {
  const pom = path.join(stackPackageDir, 'zipkin', 'pom.xml');
  await mavenFetch({
    svc: 'zipkin',
    pom,
    outDir: jarsDir(),
    inputs: [pom],
    goals: ['dependency:copy-dependencies'],
    props: { 'zipkin.version': versions().zipkin.version, outputDirectory: jarsDir() },
    progress,
  });
}

export const zipkin: Service = {
  name: 'zipkin',
  marker: () => zipkinJar(),
  stopSignal: 'SIGTERM',
  stopGraceMs: 15_000,
  // A cold JVM on a busy 2-core machine: about 15 s alone, much more beside a test run.
  readyTimeoutMs: 120_000,
  address: (e) => `${e.zipkin.host}:${e.zipkin.port}, UI ${e.zipkin.uiUrl}`,
  ports: (e) => [{ host: e.zipkin.host, port: e.zipkin.port, env: 'STACK_ZIPKIN_PORT' }],

  /** Spring's health endpoint says UP once storage (memory) and the HTTP collector are ready. */
  async healthy(e) {
    try {
      const res = await fetch(`${e.zipkin.url}/health`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return false;
      return ((await res.json()) as { status?: string }).status === 'UP';
    } catch {
      return false;
    }
  },

  async missingPrereqs() {
    return javaPrereqs('zipkin', 17, !existsSync(path.join(jarsDir(), '.complete')));
  },

  async start({ endpoints: e, progress }) {
    await ensureJar(progress);
    return spawnDetached(
      'zipkin',
      'java',
      [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-Djava.awt.headless=true',
        '-jar',
        zipkinJar(),
        `--server.port=${e.zipkin.port}`,
        `--server.address=${e.zipkin.host}`,
      ],
      {
        address: zipkin.address(e),
        env: { ...process.env, STORAGE_TYPE: 'mem', MEM_MAX_SPANS: String(MAX_SPANS) },
      },
    );
  },
};
