/** Writes gateway/supergraph.graphql for tools and images; the gateway itself composes at start. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@shop/config';
import { composeSupergraph } from '../src/compose.ts';
import { gatewaySettings, subgraphUrls } from '../src/config.ts';

const { INTERNAL_AUTH_SECRET: _secret, ...urlSettings } = gatewaySettings;
const out = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));
writeFileSync(out, composeSupergraph(subgraphUrls(loadConfig(urlSettings) as never)));
console.log(`wrote ${out}`);
