import type { CartItem, PrismaClient } from '@shop/prisma/cart';

export function cartItemsOf(prisma: PrismaClient, userId: string): Promise<CartItem[]> {
  return prisma.cartItem.findMany({
    where: { userId },
    orderBy: [{ addedAt: 'asc' }, { productId: 'asc' }],
  });
}
