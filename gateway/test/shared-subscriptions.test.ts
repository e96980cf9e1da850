import { describe, expect, it } from 'vitest';
import { createLogger } from '@shop/logging';
import { composeSupergraph } from '../src/compose.ts';
import { SupergraphRuntime } from '../src/executor/index.ts';
import { BoundedQueue } from '../src/subscriptions/bounded-queue.ts';
import { SubscriptionPlanner, type PlannedSubscription } from '../src/subscriptions/planner.ts';
import { SharedSubscriptions } from '../src/subscriptions/shared-subscriptions.ts';
import { UpstreamClients } from '../src/subscriptions/upstream.ts';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES } from '../src/subgraphs.ts';

const logger = createLogger('test', 'silent');
const urls = Object.fromEntries(
  SUBGRAPH_NAMES.map((name) => [name, `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`]),
) as Parameters<typeof composeSupergraph>[0];
// The real planner on the real supergraph: a plan whose primary fetch goes to the order subgraph.
const planner = new SubscriptionPlanner(
  new SupergraphRuntime(composeSupergraph(urls)),
  { fetcher: () => Promise.reject(new Error('no subgraph calls here')), secret: 'unused' },
  [],
  logger,
);
const planned = planner.plan(
  'subscription ($id: ID!) { orderUpdated(id: $id) { id status } }',
  undefined,
  { id: '00000000-0000-4000-8000-000000000001' },
) as PlannedSubscription;
const identity = { userId: '00000000-0000-4000-8000-000000000002', role: 'CUSTOMER' as const };

describe('SharedSubscriptions', () => {
  it("ends a watcher whose stream fails as it opens (no URL for the primary's subgraph)", async () => {
    // Nothing is ever sent upstream: the stream fails before any connection is made.
    const upstream = new UpstreamClients('unused-secret-0123456789abcdef0123', 12_000);
    const shared = new SharedSubscriptions(upstream, () => undefined, logger);
    const queue = new BoundedQueue(4);
    queue.detach = shared.watch(planned, identity, queue);
    expect(shared.stats).toMatchObject({ upstreams: 0, watchers: 0 });
    // The client's iterator finishes instead of waiting forever for an event that cannot come.
    await expect(queue.next()).resolves.toEqual({ done: true, value: undefined });
    // A later watcher of the same operation tries again and is ended the same way.
    const again = new BoundedQueue(4);
    again.detach = shared.watch(planned, identity, again);
    await expect(again.next()).resolves.toEqual({ done: true, value: undefined });
    expect(shared.stats).toMatchObject({ upstreams: 0, upstreamsStarted: 2, watchers: 0 });
    await upstream.close();
  });
});
