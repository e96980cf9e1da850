/**
 * Points the stack's Prometheus at the system `npm start` runs: writes its config (every
 * service's /metrics, on the ports really used, and the project's alert rules) and asks it to
 * reload. The stack keeps the file, so a restart of the stack keeps watching this system.
 */
import { writeFileSync } from 'node:fs';
import {
  alertRulesFile,
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
