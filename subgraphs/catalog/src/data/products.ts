import type { PrismaClient, Review } from '@shop/prisma/catalog';
import { afterTimeId } from '@shop/subgraph-kit';

export interface Page<T> {
  rows: T[];
  totalCount: number;
}

type TimeId = { createdAt: Date; id: string } | null;
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

export async function listReviews(
  prisma: PrismaClient,
  productId: string,
  limit: number,
  after: TimeId,
): Promise<Page<Review>> {
  const [rows, totalCount] = await Promise.all([
    prisma.review.findMany({
      where: { productId, ...afterTimeId(after) },
      orderBy: NEWEST_FIRST,
      take: limit + 1,
    }),
    prisma.review.count({ where: { productId } }),
  ]);
  return { rows, totalCount };
}
