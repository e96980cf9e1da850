import { readFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { CompositionError, composeSubgraphs, composeSupergraph } from '../compose.ts';
import type { SubgraphName } from '../subgraphs.ts';
import { readSupergraphConfig, type SubgraphEntry } from './supergraph-config.ts';

/** Where the gateway's supergraph comes from. */
export interface SupergraphSource {
  /** For logs: what it is read or composed from. */
  description: string;
  /** The supergraph SDL as it is now; throws when it cannot be read or composed. */
  load(): Promise<string>;
  /** Whether it can change while the gateway runs (and is worth polling). */
  changes: boolean;
  /** The setting that names it, for a start-up failure's message. */
  setting?: string;
}

/** The five built-in subgraphs, from their schema files (part of this code: never changes). */
export function builtInSupergraph(urls: Record<SubgraphName, string>): SupergraphSource {
  const sdl = composeSupergraph(urls);
  return {
    description: 'the built-in subgraphs',
    load: async () => sdl,
    changes: false,
  };
}

/** A supergraph SDL composed elsewhere (Rover, a schema registry's export). */
export function supergraphFile(file: string): SupergraphSource {
  let checked: string | undefined;
  return {
    description: file,
    load: async () => {
      const sdl = await readFile(file, 'utf8');
      // Checked here, so a broken file is a failed load (the running supergraph stays); a text
      // checked before is not built again at every poll.
      if (sdl !== checked) {
        Supergraph.build(sdl);
        checked = sdl;
      }
      return sdl;
    },
    changes: true,
    setting: 'SUPERGRAPH_FILE',
  };
}

/** A subgraph's SDL as it serves it (`_service { sdl }`). */
async function introspect(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => null)) as {
    data?: { _service?: { sdl?: string } };
    errors?: { message: string }[];
  } | null;
  const sdl = body?.data?._service?.sdl;
  if (!response.ok || typeof sdl !== 'string')
    throw new Error(
      `${url} gave no _service { sdl } (HTTP ${response.status}${body?.errors?.length ? `: ${body.errors[0]!.message}` : ''})`,
    );
  return sdl;
}

/**
 * Composed by the gateway from a supergraph config (supergraph-config.ts), re-read on every
 * load: edits to the config, to a schema file or to a running subgraph's schema all count. The
 * same subgraphs with the same SDL are not composed again (composition costs far more than the
 * reads).
 */
export function composedFromConfig(
  file: string,
  options: { introspectionTimeoutMs?: number } = {},
): SupergraphSource {
  const timeoutMs = options.introspectionTimeoutMs ?? 5000;
  const sdlOf = (entry: SubgraphEntry) =>
    'file' in entry.schema
      ? readFile(entry.schema.file, 'utf8')
      : introspect(entry.schema.subgraphUrl, timeoutMs);
  let last: { input: string; supergraphSdl: string } | undefined;
  return {
    description: file,
    load: async () => {
      const entries = readSupergraphConfig(file);
      const sdls = await Promise.all(
        entries.map(async (entry) => {
          try {
            return await sdlOf(entry);
          } catch (error) {
            throw new CompositionError(`subgraph "${entry.name}": ${(error as Error).message}`);
          }
        }),
      );
      const subgraphs = entries.map((entry, i) => ({
        name: entry.name,
        url: entry.routingUrl,
        sdl: sdls[i]!,
      }));
      const input = JSON.stringify(subgraphs);
      if (last?.input !== input) last = { input, supergraphSdl: composeSubgraphs(subgraphs) };
      return last.supergraphSdl;
    },
    changes: true,
    setting: 'SUPERGRAPH_CONFIG',
  };
}
