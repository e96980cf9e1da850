import type { SearchClient } from './client.ts';

/**
 * One kind of search index (products, sellers, reviews). Readers and writers use the alias
 * `${prefix}_${name}`; a full rebuild fills a new concrete index and swaps the alias atomically.
 * `version` is stored in the mapping's `_meta`: an index built with an older mapping is stale
 * and gets rebuilt from the catalog (seed and start do it).
 */
export interface IndexDefinition {
  name: string;
  version: number;
  mappings: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export const aliasOf = (definition: IndexDefinition, prefix: string) =>
  `${prefix}_${definition.name}`;

export async function createIndex(
  client: SearchClient,
  definition: IndexDefinition,
  index: string,
): Promise<void> {
  await client.indices.create({
    index,
    body: {
      settings: { number_of_shards: 1, number_of_replicas: 0, ...definition.settings },
      mappings: { ...definition.mappings, _meta: { version: definition.version } },
    },
  });
}

/** Makes sure the alias points at an index, creating an empty one when there is none. */
export async function ensureIndex(
  client: SearchClient,
  definition: IndexDefinition,
  prefix: string,
): Promise<void> {
  const alias = aliasOf(definition, prefix);
  const exists = await client.indices.existsAlias({ name: alias });
  if (exists.body) return;
  const index = `${alias}_${Date.now()}`;
  await createIndex(client, definition, index);
  await client.indices.putAlias({ index, name: alias });
}

export interface IndexState {
  /** Documents behind the alias, 0 when there is no alias. */
  count: number;
  /** True when the alias exists and its index has the definition's mapping version. */
  current: boolean;
}

export async function indexState(
  client: SearchClient,
  definition: IndexDefinition,
  prefix: string,
): Promise<IndexState> {
  const alias = aliasOf(definition, prefix);
  const exists = await client.indices.existsAlias({ name: alias });
  if (!exists.body) return { count: 0, current: false };
  const [count, mapping] = await Promise.all([
    client.count({ index: alias }),
    client.indices.getMapping({ index: alias }),
  ]);
  const versions = Object.values(
    mapping.body as Record<string, { mappings?: { _meta?: { version?: number } } }>,
  ).map((m) => m.mappings?._meta?.version);
  return {
    count: (count.body as { count: number }).count,
    current: versions.length > 0 && versions.every((v) => v === definition.version),
  };
}

export async function bulkIndex(
  client: SearchClient,
  index: string,
  docs: { id: string }[],
  options: { refresh?: boolean } = {},
): Promise<void> {
  if (docs.length === 0) return;
  const body = docs.flatMap((doc) => [{ index: { _index: index, _id: doc.id } }, doc]);
  const response = await client.bulk({ body, refresh: options.refresh ? 'wait_for' : false });
  if (response.body.errors) {
    const failed = (response.body.items as { index?: { error?: { reason?: string } } }[]).find(
      (i) => i.index?.error,
    );
    throw new Error(`bulk indexing failed: ${failed?.index?.error?.reason ?? 'unknown reason'}`);
  }
}

const BULK_CHUNK = 2000;

/**
 * Full rebuild without downtime: index every batch into a new index (refresh off while
 * loading), then move the alias in one atomic update and drop the old indices. Searches hit
 * the old index until the swap.
 */
export async function rebuildIndex<D extends { id: string }>(
  client: SearchClient,
  definition: IndexDefinition,
  prefix: string,
  batches: AsyncIterable<D[]> | Iterable<D[]>,
): Promise<{ index: string; count: number }> {
  const alias = aliasOf(definition, prefix);
  const index = `${alias}_${Date.now()}`;
  await createIndex(client, definition, index);
  await client.indices.putSettings({ index, body: { index: { refresh_interval: '-1' } } });
  let count = 0;
  for await (const batch of batches) {
    // The chunks of one batch go in parallel (a batch is a few thousand documents).
    const chunks: D[][] = [];
    for (let i = 0; i < batch.length; i += BULK_CHUNK) chunks.push(batch.slice(i, i + BULK_CHUNK));
    await Promise.all(chunks.map((chunk) => bulkIndex(client, index, chunk)));
    count += batch.length;
  }
  await client.indices.putSettings({ index, body: { index: { refresh_interval: '1s' } } });
  await client.indices.refresh({ index });
  const current = await client.indices.getAlias({ name: alias }).catch(() => ({ body: {} }));
  const old = Object.keys(current.body as Record<string, unknown>);
  // An index (not alias) named like the alias would block the alias; remove it first.
  const plainIndex = await client.indices.exists({ index: alias });
  if (plainIndex.body && old.length === 0) await client.indices.delete({ index: alias });
  await client.indices.updateAliases({
    body: {
      actions: [
        ...old.map((name) => ({ remove: { index: name, alias } })),
        { add: { index, alias } },
      ],
    },
  });
  if (old.length > 0) await client.indices.delete({ index: old.join(',') });
  return { index, count };
}

/** Decimal string or number -> number of the scaled_float price fields. */
export const priceNumber = (price: string | { toString(): string }) => Number(price.toString());

export interface VersionedDocument<D> {
  id: string;
  /** External version (for example a row's updated_at in ms): an older one never overwrites. */
  version: number;
  doc: D;
}

/**
 * Bulk-writes documents with external versions (`external_gte`). A version conflict means the
 * index already holds a newer document, which is the point of versioning, so it is skipped;
 * any other failure throws. Returns how many documents were written.
 */
export async function bulkIndexVersioned<D>(
  client: SearchClient,
  index: string,
  docs: VersionedDocument<D>[],
  options: { refresh?: boolean } = {},
): Promise<number> {
  if (docs.length === 0) return 0;
  const body = docs.flatMap((d): object[] => [
    { index: { _index: index, _id: d.id, version: d.version, version_type: 'external_gte' } },
    d.doc as object,
  ]);
  const response = await client.bulk({ body, refresh: options.refresh ? 'wait_for' : false });
  const items = response.body.items as {
    index?: { status?: number; error?: { reason?: string } };
  }[];
  let written = 0;
  for (const item of items) {
    if (!item.index?.error) written++;
    else if (item.index.status !== 409)
      throw new Error(`bulk indexing failed: ${item.index.error.reason ?? 'unknown reason'}`);
  }
  return written;
}
