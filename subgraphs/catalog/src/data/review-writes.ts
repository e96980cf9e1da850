import type { PrismaClient, Review } from '@shop/prisma/catalog';
import { ProductUpdated } from '@shop/events';
import { DomainError } from '@shop/subgraph-kit';
import { productEvent, reviewCreatedEvent, reviewDeletedEvent } from './catalog-events.ts';
import { uniqueViolation } from './writes.ts';

const productGone = () => new DomainError('NOT_FOUND', 'Product not found', { field: 'productId' });

/**
 * Adds a review and folds its rating into the product's average in one transaction. The
 * UPDATE computes from the row's current values under its row lock, so concurrent reviews of
 * one product cannot lose each other's rating. A product deleted since the resolver looked is
 * NOT_FOUND (the UPDATE matches no row and the review rolls back).
 */
export async function insertReview(
  prisma: PrismaClient,
  data: { productId: string; userId: string; rating: number; text: string },
): Promise<Review> {
  try {
    return await prisma.$transaction(async (tx) => {
      const review = await tx.review.create({ data });
      const updated = await tx.$executeRaw`
        UPDATE products
        SET rating_avg = (COALESCE(rating_avg, 0) * rating_count + ${data.rating}) / (rating_count + 1),
            rating_count = rating_count + 1,
            updated_at = now()
        WHERE id = ${data.productId}::uuid AND deleted_at IS NULL`;
      if (updated !== 1) throw productGone();
      await reviewCreatedEvent(tx, review);
      // The rating is part of the product's search document: the indexer re-reads the product.
      await productEvent(
        tx,
        ProductUpdated,
        await tx.product.findUniqueOrThrow({ where: { id: data.productId } }),
      );
      return review;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw new DomainError('CONFLICT', 'You have already reviewed this product', {
        field: 'productId',
      });
    throw error;
  }
}

/**
 * Deletes a review and recomputes its product's rating in one transaction. The product row is
 * locked first, so the average is computed from every review committed before the lock: an
 * addReview that commits meanwhile waits for the lock and then folds its rating into this
 * result (it computes from the row's values), and one that committed earlier is in the
 * aggregate. False when the review is already gone.
 */
export async function deleteReviewRow(prisma: PrismaClient, review: Review): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM products WHERE id = ${review.productId}::uuid FOR UPDATE`;
    const deleted = await tx.$executeRaw`DELETE FROM reviews WHERE id = ${review.id}::uuid`;
    if (deleted !== 1) return false;
    await tx.$executeRaw`
      UPDATE products p
      SET rating_avg = r.avg, rating_count = r.n, updated_at = now()
      FROM (SELECT avg(rating)::float8 AS avg, count(*)::int AS n
            FROM reviews WHERE product_id = ${review.productId}::uuid) r
      WHERE p.id = ${review.productId}::uuid`;
    await reviewDeletedEvent(tx, review);
    const product = await tx.product.findUniqueOrThrow({ where: { id: review.productId } });
    if (product.deletedAt === null) await productEvent(tx, ProductUpdated, product);
    return true;
  });
}
