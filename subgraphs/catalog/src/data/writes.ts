import { randomBytes } from 'node:crypto';
import {
  Prisma,
  type Category,
  type PrismaClient,
  type Product,
  type Review,
} from '@shop/prisma/catalog';
import { ProductCreated, ProductUpdated, createEvent, writeOutboxEvent } from '@shop/events';
import { CatalogError } from '../domain/errors.ts';
import type { ProductFields } from '../domain/product-input.ts';

/** The unique constraint a write broke, or null when the error is something else. */
function uniqueViolation(error: unknown): string | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const target = (error.meta as { target?: unknown; driverAdapterError?: unknown } | undefined)
      ?.target;
    return Array.isArray(target) ? target.join(',') : String(target ?? 'unique');
  }
  return null;
}

export async function insertCategory(
  prisma: PrismaClient,
  data: { name: string; slug: string; description: string; parentId: string | null },
): Promise<Category> {
  try {
    return await prisma.category.create({ data });
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw new CatalogError(
        'CONFLICT',
        `A category with slug "${data.slug}" already exists`,
        'slug',
      );
    throw error;
  }
}

type Tx = Prisma.TransactionClient;

/**
 * Writes ProductCreated/ProductUpdated (a snapshot of the row) to the catalog outbox in the
 * caller's transaction, so the search index hears of every committed change and of no other.
 */
async function productEvent(
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
    }),
  );
}

const generatedSku = () => `P-${randomBytes(5).toString('hex').toUpperCase()}`;

export async function insertProduct(
  prisma: PrismaClient,
  sellerId: string,
  fields: Required<Pick<ProductFields, 'name' | 'price' | 'stock' | 'categoryId'>> & ProductFields,
): Promise<Product> {
  const sku = fields.sku ?? generatedSku();
  try {
    return await prisma.$transaction(async (tx) => {
      const product = await tx.product.create({
        data: {
          sku,
          name: fields.name,
          description: fields.description ?? '',
          price: fields.price,
          currency: fields.currency ?? 'USD',
          stock: fields.stock,
          attributes: fields.attributes ?? {},
          images: fields.images ?? [],
          categoryId: fields.categoryId,
          sellerId,
        },
      });
      await productEvent(tx, ProductCreated, product);
      return product;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw new CatalogError('CONFLICT', `A product with SKU "${sku}" already exists`, 'sku');
    throw error;
  }
}

export function updateProductRow(
  prisma: PrismaClient,
  id: string,
  fields: ProductFields,
): Promise<Product> {
  const { sku: _sku, currency: _currency, ...changes } = fields;
  return prisma.$transaction(async (tx) => {
    const product = await tx.product.update({ where: { id }, data: changes });
    await productEvent(tx, ProductUpdated, product);
    return product;
  });
}

/**
 * Adds a review and folds its rating into the product's average in one transaction. The
 * UPDATE computes from the row's current values under its row lock, so concurrent reviews of
 * one product cannot lose each other's rating.
 */
export async function insertReview(
  prisma: PrismaClient,
  data: { productId: string; userId: string; rating: number; text: string },
): Promise<Review> {
  try {
    return await prisma.$transaction(async (tx) => {
      const review = await tx.review.create({ data });
      await tx.$executeRaw`
        UPDATE products
        SET rating_avg = (COALESCE(rating_avg, 0) * rating_count + ${data.rating}) / (rating_count + 1),
            rating_count = rating_count + 1,
            updated_at = now()
        WHERE id = ${data.productId}::uuid`;
      // The rating is part of the indexed document: the indexer re-reads the product.
      await productEvent(
        tx,
        ProductUpdated,
        await tx.product.findUniqueOrThrow({ where: { id: data.productId } }),
      );
      return review;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw new CatalogError('CONFLICT', 'You have already reviewed this product', 'productId');
    throw error;
  }
}

/** Records a view in one statement; false when the product does not exist. */
export async function insertProductView(
  prisma: PrismaClient,
  productId: string,
  userId: string | null,
): Promise<boolean> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO product_views (product_id, user_id)
    SELECT id, ${userId}::uuid FROM products WHERE id = ${productId}::uuid`;
  return inserted === 1;
}
