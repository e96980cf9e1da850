import type { PrismaClient, Seller } from '@shop/prisma/catalog';
import { SellerCreated, SellerUpdated } from '@shop/events';
import { DomainError } from '@shop/subgraph-kit';
import type { SellerFields } from '../domain/seller-input.ts';
import { sellerEvent } from './catalog-events.ts';
import { recordNotFound, uniqueViolation } from './writes.ts';

const slugTaken = (slug: string | undefined) =>
  new DomainError('CONFLICT', `A seller with slug "${slug}" already exists`, { field: 'slug' });

export async function insertSeller(
  prisma: PrismaClient,
  fields: Required<Pick<SellerFields, 'name' | 'slug'>> & SellerFields,
  ownerUserId: string | null,
): Promise<Seller> {
  try {
    return await prisma.$transaction(async (tx) => {
      const seller = await tx.seller.create({
        data: {
          name: fields.name,
          slug: fields.slug,
          description: fields.description ?? '',
          ownerUserId,
        },
      });
      await sellerEvent(tx, SellerCreated, seller);
      return seller;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) throw slugTaken(fields.slug);
    throw error;
  }
}

/** Changes a seller's profile; a rename reaches the seller's product documents through the indexer. */
export async function updateSellerRow(
  prisma: PrismaClient,
  id: string,
  fields: SellerFields,
): Promise<Seller> {
  try {
    return await prisma.$transaction(async (tx) => {
      const seller = await tx.seller.update({ where: { id }, data: fields });
      await sellerEvent(tx, SellerUpdated, seller);
      return seller;
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) throw slugTaken(fields.slug);
    if (recordNotFound(error))
      throw new DomainError('NOT_FOUND', 'Seller not found', { field: 'id' });
    throw error;
  }
}
