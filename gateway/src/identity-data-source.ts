import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, signIdentity } from '@shop/auth';
import type { GatewayContext } from './context.ts';

/**
 * Forwards the verified caller to subgraphs as a signed header. Client headers are never passed
 * through, so a client cannot send its own identity header past the gateway.
 */
export class IdentityDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const identity = (context as Partial<GatewayContext>).identity;
    if (identity) request.http?.headers.set(IDENTITY_HEADER, signIdentity(identity, this.secret));
  }
}
