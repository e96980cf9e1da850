/**
 * The stock @apollo/gateway with default settings on the same supergraph, as a project without
 * this repository's gateway would run it. The only addition: the identity header is passed
 * through (it does not verify JWTs; the benchmark client sends the signed identity directly).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface Context {
  identity?: string;
}

// As for this repository's gateway: no usage reports to Apollo, no cloud metadata probes.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const supergraphSdl = readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8');
const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      willSendRequest({ request, context }) {
        if (context.identity) request.http?.headers.set('x-shop-identity', context.identity);
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
  context: async ({ req }) => ({ identity: req.headers['x-shop-identity'] as string | undefined }),
});
console.log(`stock gateway at ${url}`);
