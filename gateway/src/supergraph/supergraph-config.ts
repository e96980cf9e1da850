import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StartupError } from '@shop/config';

/** Where a subgraph's schema comes from: a file, or the running subgraph's `_service { sdl }`. */
export type SubgraphSchemaSource = { file: string } | { subgraphUrl: string };

export interface SubgraphEntry {
  name: string;
  /** Where the gateway sends the subgraph's queries. */
  routingUrl: string;
  schema: SubgraphSchemaSource;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function httpUrl(value: unknown, where: string, file: string): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // reported below
    }
  }
  throw new StartupError('SUPERGRAPH_CONFIG', `${file}: ${where} must be an http(s) URL`);
}

/**
 * Reads a supergraph config in Rover's `supergraph.yaml` form (YAML or JSON):
 *
 *     subgraphs:
 *       products:
 *         routing_url: http://127.0.0.1:4001/graphql
 *         schema:
 *           file: ./products.graphql           # or
 *           subgraph_url: http://127.0.0.1:4001/graphql
 *
 * A schema file is relative to the config's directory. A schema without `file` or
 * `subgraph_url` (or no schema at all) is read from the routing URL's `_service { sdl }`.
 */
export function readSupergraphConfig(file: string): SubgraphEntry[] {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartupError(
      'SUPERGRAPH_CONFIG',
      `cannot read ${file} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const subgraphs = (document as { subgraphs?: unknown } | null)?.subgraphs;
  if (!subgraphs || typeof subgraphs !== 'object' || Array.isArray(subgraphs))
    throw new StartupError('SUPERGRAPH_CONFIG', `${file}: expected a "subgraphs" map`);
  const entries = Object.entries(subgraphs as Record<string, unknown>);
  if (entries.length === 0)
    throw new StartupError('SUPERGRAPH_CONFIG', `${file}: "subgraphs" lists none`);
  const directory = path.dirname(path.resolve(file));
  return entries.map(([name, value]) => {
    if (!NAME.test(name))
      throw new StartupError('SUPERGRAPH_CONFIG', `${file}: "${name}" is not a subgraph name`);
    const entry = (value ?? {}) as {
      routing_url?: unknown;
      schema?: { file?: unknown; subgraph_url?: unknown };
    };
    const routingUrl = httpUrl(entry.routing_url, `subgraphs.${name}.routing_url`, file);
    const schema = entry.schema ?? {};
    if (typeof schema.file === 'string')
      return { name, routingUrl, schema: { file: path.resolve(directory, schema.file) } };
    if (schema.subgraph_url !== undefined)
      return {
        name,
        routingUrl,
        schema: {
          subgraphUrl: httpUrl(schema.subgraph_url, `subgraphs.${name}.schema.subgraph_url`, file),
        },
      };
    return { name, routingUrl, schema: { subgraphUrl: routingUrl } };
  });
}
