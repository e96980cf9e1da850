import type { CatalogContext } from '../context.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { Category, Product, Review, Seller } from './entities.ts';
import { Mutation } from './mutations.ts';
import { Query } from './queries.ts';

export const resolvers: Resolvers<CatalogContext> = {
  Query,
  Mutation,
  Product,
  Category,
  Seller,
  Review,
};
