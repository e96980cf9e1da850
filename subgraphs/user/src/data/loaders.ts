import DataLoader from 'dataloader';
import type { PrismaClient, User } from '@shop/prisma/user';

/** Batches User entity fetches from the gateway (reviews' authors, order owners) into one query. */
export function createUserLoader(prisma: PrismaClient) {
  return new DataLoader<string, User | null>(async (ids) => {
    const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}
