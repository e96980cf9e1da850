import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { GatewayContext } from './context.ts';
import { internalHeaders } from './authenticate.ts';

/**
 * Forwards the verified caller and the client's address to subgraphs as signed headers. Client
 * headers are never passed through, so a client cannot send its own identity past the gateway.
 */
export class IdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const caller = context as Partial<GatewayContext>;
    const headers = internalHeaders(
      { identity: caller.identity ?? null, clientAddress: caller.clientAddress ?? null },
      this.secret,
    );
    for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
  }
}
