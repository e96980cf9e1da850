/**
 * The four subgraphs of The Guild's federation benchmark (graphql-hive/graphql-gateways-benchmark:
 * accounts, inventory, products, reviews), written for this project with @apollo/subgraph: the
 * benchmark's public schema (in Federation 2 form) and its data (data.json). One process serves
 * them at /accounts, /inventory, /products and /reviews on PORT, with a lean HTTP handler
 * (parsed and validated documents cached) so that the gateway under test, not the subgraphs,
 * is what the benchmark measures.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  body: string;
  product: string;
}
const data = JSON.parse(readFileSync(new URL('./data.json', import.meta.url), 'utf8')) as {
  users: User[];
  products: Product[];
  inventory: { upc: string; inStock: boolean }[];
  reviews: Review[];
};

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires"])`;

export const GUILD_SUBGRAPHS = {
  accounts: {
    typeDefs: `${LINK}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`,
    resolvers: {
      Query: {
        me: () => data.users[0],
        user: (_: unknown, { id }: { id: string }) => data.users.find((u) => u.id === id),
        users: () => data.users,
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => data.users.find((u) => u.id === id),
      },
    },
  },
  products: {
    typeDefs: `${LINK}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => data.products.slice(0, first),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => data.products.find((p) => p.upc === upc),
      },
    },
  },
  inventory: {
    typeDefs: `${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({
          ...ref,
          inStock: data.inventory.find((p) => p.upc === ref.upc)?.inStock,
        }),
        // Free above 1000; else half the weight.
        shippingEstimate: ({ price, weight }: { price?: number; weight?: number }) =>
          price === undefined ? null : price > 1000 ? 0 : weight === undefined ? null : weight / 2,
      },
    },
  },
  reviews: {
    typeDefs: `${LINK}
      type Review @key(fields: "id") { id: ID!  body: String  author: User @provides(fields: "username")  product: Product }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: ({ id }: { id: string }) => data.reviews.find((r) => r.id === id),
        // As the benchmark's: every review is by user 1 (username provided).
        author: () => ({ id: '1', username: 'urigo' }),
        product: (review: Review) => ({ upc: review.product }),
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => ({ id, username: 'user' }),
        reviews: () => data.reviews.slice(0, 2),
      },
      Product: {
        __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
        reviews: ({ upc }: { upc: string }) => data.reviews.filter((r) => r.product === upc),
      },
    },
  },
} as const;

export type GuildSubgraph = keyof typeof GUILD_SUBGRAPHS;

/** The benchmark's query (its k6 script's TestQuery), nested users → reviews → product → ... */
export const GUILD_QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

function handler(schema: GraphQLSchema) {
  const documents = new Map<string, DocumentNode>();
  return (body: string) => {
    const request = JSON.parse(body) as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    let document = documents.get(request.query);
    if (!document) {
      document = parse(request.query);
      const errors = validate(schema, document);
      if (errors.length) return { errors };
      if (documents.size > 1000) documents.clear();
      documents.set(request.query, document);
    }
    return execute({
      schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
    });
  };
}

export function startGuildSubgraphs(port: number, host = '127.0.0.1'): Promise<http.Server> {
  const routes = new Map(
    Object.entries(GUILD_SUBGRAPHS).map(([name, { typeDefs, resolvers }]) => [
      `/${name}`,
      handler(buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never })),
    ]),
  );
  const server = http.createServer((req, res) => {
    if (req.url === '/health') return res.end('OK');
    const route = routes.get(req.url ?? '');
    if (!route || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const result = await route(Buffer.concat(chunks).toString('utf8'));
        const json = JSON.stringify(result);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        });
        res.end(json);
      } catch (error) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 4300);
  await startGuildSubgraphs(port);
  console.log(`guild subgraphs on http://127.0.0.1:${port}/{accounts,inventory,products,reviews}`);
}
