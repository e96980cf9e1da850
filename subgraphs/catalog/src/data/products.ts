import type { PrismaClient, Product, Review } from '@shop/prisma/catalog';

export interface Page<T> {
  rows: T[];
  totalCount: number;
}

/** Newest first; the cursor is (createdAt, id) so equal timestamps still page without gaps. */
export async function listProductsNewest(
  prisma: PrismaClient,
  limit: number,
  after: { createdAt: Date; id: string } | null,
): Promise<Page<Product>> {
  const where = after
    ? {
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: after.createdAt, id: { lt: after.id } },
        ],
      }
    : {};
  const [rows, totalCount] = await Promise.all([
    prisma.product.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 }),
    prisma.product.count(),
  ]);
  return { rows, totalCount };
}

export async function listReviews(
  prisma: PrismaClient,
  productId: string,
  limit: number,
  after: { createdAt: Date; id: string } | null,
): Promise<Page<Review>> {
  const where = after
    ? {
        productId,
        OR: [
          { createdAt: { lt: after.createdAt } },
          { createdAt: after.createdAt, id: { lt: after.id } },
        ],
      }
    : { productId };
  const [rows, totalCount] = await Promise.all([
    prisma.review.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 }),
    prisma.review.count({ where: { productId } }),
  ]);
  return { rows, totalCount };
}
