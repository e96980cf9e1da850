import type { Prisma, Product, Review, Seller } from '@shop/prisma/catalog';
import type { ProductCreated, ProductUpdated, SellerCreated, SellerUpdated } from '@shop/events';
import {
  ProductDeleted,
  ProductViewed,
  ReviewCreated,
  ReviewDeleted,
  createEvent,
  writeOutboxEvent,
} from '@shop/events';
import { storedTaxClass } from '../domain/product-input.ts';

/**
 * The catalog's outbox writes: every one runs in the caller's transaction, so an event is
 * published if and only if the change it describes commits.
 */
type Tx = Prisma.TransactionClient;

export async function productEvent(
  tx: Tx,
  contract: typeof ProductCreated | typeof ProductUpdated,
  product: Product,
): Promise<void> {
  await writeOutboxEvent(
    tx,
    createEvent(contract, product.id, {
      productId: product.id,
      sellerId: product.sellerId,
      categoryId: product.categoryId,
      name: product.name,
      description: product.description,
      price: { amount: product.price.toFixed(2), currency: product.currency },
      stock: product.stock,
      weightGrams: product.weightGrams,
      taxClass: storedTaxClass(product.taxClass),
    }),
  );
}

export async function productDeletedEvent(tx: Tx, product: Product): Promise<void> {
  await writeOutboxEvent(
    tx,
    createEvent(
      ProductDeleted,
      product.id,
      { productId: product.id },
      {
        occurredAt: product.deletedAt ?? undefined,
      },
    ),
  );
}

/**
 * Views are the busiest write: no NOTIFY (it takes a global lock at commit), the relay's poll
 * picks them up, which is soon enough for analytics.
 */
export async function productViewedEvent(
  tx: Tx,
  productId: string,
  userId: string | null,
): Promise<void> {
  await writeOutboxEvent(tx, createEvent(ProductViewed, productId, { productId, userId }), {
    notify: false,
  });
}

export async function sellerEvent(
  tx: Tx,
  contract: typeof SellerCreated | typeof SellerUpdated,
  seller: Seller,
): Promise<void> {
  await writeOutboxEvent(
    tx,
    createEvent(contract, seller.id, {
      sellerId: seller.id,
      slug: seller.slug,
      name: seller.name,
      description: seller.description,
      ownerUserId: seller.ownerUserId,
    }),
  );
}

/** Keyed by product id, like the topic says: one product's review events stay in order. */
export async function reviewCreatedEvent(tx: Tx, review: Review): Promise<void> {
  await writeOutboxEvent(
    tx,
    createEvent(ReviewCreated, review.productId, {
      reviewId: review.id,
      productId: review.productId,
      userId: review.userId,
      rating: review.rating,
      text: review.text,
    }),
  );
}

export async function reviewDeletedEvent(tx: Tx, review: Review): Promise<void> {
  await writeOutboxEvent(
    tx,
    createEvent(ReviewDeleted, review.productId, {
      reviewId: review.id,
      productId: review.productId,
    }),
  );
}
