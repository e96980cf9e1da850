import type { Resolvers } from '../generated/resolvers-types.ts';
import { checkoutResolvers } from './checkout.ts';
import { lineResolvers } from './lines.ts';

export const resolvers: Resolvers = {
  Query: { ...lineResolvers.Query },
  Mutation: { ...lineResolvers.Mutation, ...checkoutResolvers.Mutation },
  Cart: { ...lineResolvers.Cart, ...checkoutResolvers.Cart },
  CartItem: { ...lineResolvers.CartItem, ...checkoutResolvers.CartItem },
};
