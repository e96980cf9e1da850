/**
 * Checks that the pinned @elastic/elasticsearch client (7.13.0) does everything the
 * search code needs against the stack's Elasticsearch 7.10.2: index with a mapping,
 * index with refresh, match + highlight, terms aggregation, alias swap, _reindex.
 *
 *   npx tsx stack/scripts/verify-elasticsearch.ts [http://127.0.0.1:9200]
 */
import { createSearchClient } from '@shop/search-client';

const node = process.argv[2] ?? `http://127.0.0.1:${process.env.STACK_ES_PORT ?? '9200'}`;

export async function verifyElasticsearch(url: string): Promise<string[]> {
  const es = createSearchClient(url);
  const suffix = Date.now().toString(36);
  const v1 = `stack-verify-${suffix}-v1`;
  const v2 = `stack-verify-${suffix}-v2`;
  const alias = `stack-verify-${suffix}`;
  const log: string[] = [];
  try {
    const health = await es.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
    log.push(`health=${health.body.status}`);
    const mappings = {
      properties: {
        title: { type: 'text', analyzer: 'english' }, // `english` comes from analysis-common
        brand: { type: 'keyword' },
        suggest: { type: 'search_as_you_type' }, // mapper-extras
        price: { type: 'scaled_float', scaling_factor: 100 }, // mapper-extras
      },
    };
    await es.indices.create({ index: v1, body: { settings: { number_of_replicas: 0 }, mappings } });
    await es.indices.create({ index: v2, body: { settings: { number_of_replicas: 0 }, mappings } });
    await es.index({
      index: v1,
      id: '1',
      refresh: true,
      body: { title: 'Carbon fishing rods', brand: 'acme', suggest: 'carbon rod', price: 99.5 },
    });
    await es.index({
      index: v1,
      id: '2',
      refresh: true,
      body: { title: 'Fishing reel', brand: 'acme', suggest: 'reel', price: 45 },
    });
    await es.index({
      index: v1,
      id: '3',
      refresh: true,
      body: { title: 'Lures', brand: 'zeta', suggest: 'lure', price: 5 },
    });

    const res = await es.search({
      index: v1,
      body: {
        query: { match: { title: 'rod' } }, // stemming: "rod" matches "rods"
        highlight: { fields: { title: {} } },
        aggs: { brands: { terms: { field: 'brand' } } },
      },
    });
    const hit = res.body.hits.hits[0];
    const highlight = hit?.highlight?.title?.[0];
    if (!highlight?.includes('<em>rods</em>'))
      throw new Error(`highlight missing: ${JSON.stringify(hit)}`);
    const aggs = await es.search({
      index: v1,
      body: { size: 0, aggs: { brands: { terms: { field: 'brand' } } } },
    });
    const buckets = aggs.body.aggregations.brands.buckets as { key: string; doc_count: number }[];
    if (buckets[0]?.key !== 'acme' || buckets[0].doc_count !== 2)
      throw new Error(`terms agg wrong: ${JSON.stringify(buckets)}`);
    log.push(
      `match+highlight=${highlight}`,
      `terms=${buckets.map((b) => `${b.key}:${b.doc_count}`).join(',')}`,
    );

    await es.indices.updateAliases({ body: { actions: [{ add: { index: v1, alias } }] } });
    const reindexed = await es.reindex({
      refresh: true,
      wait_for_completion: true,
      body: { source: { index: v1 }, dest: { index: v2 } },
    });
    if (reindexed.body.created !== 3) throw new Error(`reindex created ${reindexed.body.created}`);
    await es.indices.updateAliases({
      body: { actions: [{ remove: { index: v1, alias } }, { add: { index: v2, alias } }] },
    });
    const viaAlias = await es.count({ index: alias });
    const target = Object.keys((await es.indices.getAlias({ name: alias })).body);
    if (viaAlias.body.count !== 3 || target.join() !== v2)
      throw new Error(`alias swap wrong: ${target} count=${viaAlias.body.count}`);
    log.push(
      `reindex created=${reindexed.body.created}`,
      `alias ${alias} -> ${target.join()} count=${viaAlias.body.count}`,
    );
    return log;
  } finally {
    await es.indices.delete({ index: [v1, v2], ignore_unavailable: true }).catch(() => undefined);
    await es.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  verifyElasticsearch(node).then(
    (log) => console.log(`OK: ${log.join('; ')}`),
    (err: unknown) => {
      console.error('FAILED:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
