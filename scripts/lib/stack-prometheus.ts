/**
 * Points the stack's Prometheus at the system `npm start` runs: writes its config (every
 * service's /metrics, on the ports really used, and the project's alert rules) and asks it to
 * reload. The stack keeps the file, so a restart of the stack keeps watching this system; when
 * npm start stops the system, `stopScraping` turns Prometheus back to itself alone (a system
 * stopped on purpose is not sixteen ServiceDown alerts).
 */
import { writeFileSync } from 'node:fs';
import {
  alertRulesFile,
  basePrometheusConfig,
  prometheusConfigFile,
  reloadPrometheus,
  type StackEndpoints,
} from '@shop/stack';
import type { AppService } from './app-services.ts';
import { metricsTargets, prometheusConfig } from './prometheus-config.ts';

export async function scrapeSystem(
  stack: StackEndpoints,
  services: readonly AppService[],
): Promise<void> {
  writeFileSync(
    prometheusConfigFile(),
    prometheusConfig({
      targets: metricsTargets(services),
      ruleFiles: [alertRulesFile()],
      self: `${stack.prometheus.host}:${stack.prometheus.port}`,
      header: 'Written by `npm start` (scripts/lib/stack-prometheus.ts) for the system it runs.',
    }),
  );
  await reloadPrometheus(stack.prometheus.url);
}

export async function stopScraping(stack: StackEndpoints): Promise<void> {
  writeFileSync(prometheusConfigFile(), basePrometheusConfig(stack));
  await reloadPrometheus(stack.prometheus.url);
}
