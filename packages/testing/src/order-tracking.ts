/**
 * Live order tracking as a shopper's device sees it: one `orderUpdated` subscription through the
 * gateway over graphql-ws, its results kept in arrival order.
 */
import { createClient, type Client } from 'graphql-ws';
import { vi } from 'vitest';
import WebSocket from 'ws';
import type { Identity } from '@shop/auth';
import type { RunningSupergraph } from './supergraph.ts';

export interface OrderTracking {
  /** Dispose of it when the test ends. */
  client: Client;
  /** Every result the subscription delivered, in order. */
  results: { data?: any; errors?: unknown }[];
  /** What the subscription ended with, when it failed (errors graphql-ws delivered). */
  failures: unknown[];
  /** The `orderUpdated` payloads delivered so far, in order. */
  updates(): any[];
  /** Waits for the first update that passes `check` and returns it. */
  until(check: (update: any) => boolean, timeoutMs?: number): Promise<any>;
}

/** Subscribes `who` to `query` (an `orderUpdated(id: $id)` subscription) for order `id`. */
export async function trackOrder(
  sg: Pick<RunningSupergraph, 'gatewayUrl' | 'tokenFor'>,
  who: Identity,
  id: string,
  query: string,
): Promise<OrderTracking> {
  const client = createClient({
    url: sg.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await sg.tokenFor(who)}` },
  });
  const results: OrderTracking['results'] = [];
  const failures: unknown[] = [];
  client.subscribe(
    { query, variables: { id } },
    { next: (r) => results.push(r), error: (e) => failures.push(e), complete: () => {} },
  );
  const updates = () => results.filter((r) => r.data?.orderUpdated).map((r) => r.data.orderUpdated);
  return {
    client,
    results,
    failures,
    updates,
    until: (check, timeoutMs = 20_000) =>
      vi.waitFor(
        () => {
          const hit = updates().find(check);
          if (!hit)
            throw new Error(
              `no matching update in ${JSON.stringify({ results: results.map((r) => r.data), failures })}`,
            );
          return hit;
        },
        { timeout: timeoutMs, interval: 25 },
      ),
  };
}
