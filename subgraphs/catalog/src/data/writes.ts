import { randomBytes } from 'node:crypto';
import { Prisma, type Category, type PrismaClient, type Product } from '@shop/prisma/catalog';
import { ProductCreated, ProductUpdated } from '@shop/events';
import { DomainError } from '@shop/subgraph-kit';
import type { ProductFields } from '../domain/product-input.ts';
import { productDeletedEvent, productEvent, productViewedEvent } from './catalog-events.ts';

/** The unique constraint a write broke, or null when the error is something else. */
export function uniqueViolation(error: unknown): string | null {
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
      throw new DomainError('CONFLICT', `A category with slug "${data.slug}" already exists`, {
        field: 'slug',
      });
    throw error;
  }
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
          // Omitted: the column defaults (250 g, STANDARD) apply.
          weightGrams: fields.weightGrams,
          taxClass: fields.taxClass,
          categoryId: fields.categoryId,
          sellerId,
        },
      });
      await productEvent(tx, ProductCreated, product);
      return product;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw new DomainError('CONFLICT', `A product with SKU "${sku}" already exists`, {
        field: 'sku',
      });
    throw error;
  }
}

/** True when Prisma found no row to update (a `where` that matched nothing). */
export const recordNotFound = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';

/** Changes a listed product; a product deleted meanwhile is NOT_FOUND, as it was never listed. */
export async function updateProductRow(
  prisma: PrismaClient,
  id: string,
  fields: ProductFields,
): Promise<Product> {
  const { sku: _sku, currency: _currency, ...changes } = fields;
  try {
    return await prisma.$transaction(async (tx) => {
      const product = await tx.product.update({ where: { id, deletedAt: null }, data: changes });
      await productEvent(tx, ProductUpdated, product);
      return product;
    });
  } catch (error) {
    if (recordNotFound(error))
      throw new DomainError('NOT_FOUND', 'Product not found', { field: 'id' });
    throw error;
  }
}

/**
 * Withdraws a product (soft delete): the row stays for the orders and carts that refer to it,
 * `deleted_at` hides it from everything that lists or sells. updated_at moves with it, so the
 * search indexer's delete outranks any document written from an earlier read. False when the
 * product is unknown or already deleted.
 */
export async function softDeleteProduct(prisma: PrismaClient, id: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE products SET deleted_at = now(), updated_at = now()
      WHERE id = ${id}::uuid AND deleted_at IS NULL RETURNING id`;
    if (rows.length === 0) return false;
    await productDeletedEvent(tx, await tx.product.findUniqueOrThrow({ where: { id } }));
    return true;
  });
}

/**
 * Records a view of a listed product and its ProductViewed event in one transaction; false when
 * the product does not exist or was deleted.
 */
export async function insertProductView(
  prisma: PrismaClient,
  productId: string,
  userId: string | null,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO product_views (product_id, user_id)
      SELECT id, ${userId}::uuid FROM products WHERE id = ${productId}::uuid AND deleted_at IS NULL`;
    if (inserted !== 1) return false;
    await productViewedEvent(tx, productId, userId);
    return true;
  });
}
