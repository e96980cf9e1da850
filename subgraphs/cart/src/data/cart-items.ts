import type { CartItem, PrismaClient } from '@shop/prisma/cart';
import type { CartLine } from '../domain/cart-rules.ts';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Holds the user's cart until the transaction ends: every change of one cart (its lines or its
 * checkout choices) takes it, so concurrent changes run one after the other.
 */
export async function lockCart(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${userId}, 0))`;
}

const toLine = (row: CartItem): CartLine => ({
  productId: row.productId,
  quantity: row.quantity,
  addedAt: row.addedAt,
});

const ORDER = [{ addedAt: 'asc' as const }, { productId: 'asc' as const }];

export async function cartLinesOf(prisma: PrismaClient | Tx, userId: string): Promise<CartLine[]> {
  const rows = await prisma.cartItem.findMany({ where: { userId }, orderBy: ORDER });
  return rows.map(toLine);
}

/**
 * Runs `change` on the user's lines inside one transaction that holds a per-user advisory
 * lock: concurrent changes to one cart run one after the other, so limits (units per line,
 * lines per cart) are checked against what is really there. Returns the lines afterwards.
 */
export function changeCart(
  prisma: PrismaClient,
  userId: string,
  change: (tx: Tx, lines: CartLine[]) => Promise<void>,
): Promise<CartLine[]> {
  return prisma.$transaction(async (tx) => {
    await lockCart(tx, userId);
    await change(tx, await cartLinesOf(tx, userId));
    await bumpLinesVersion(tx, userId);
    return cartLinesOf(tx, userId);
  });
}

/** Counts a change of the user's lines (cart_versions: what placeOrder orders once). */
export async function bumpLinesVersion(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO cart_versions (user_id, version) VALUES (${userId}::uuid, 1)
    ON CONFLICT (user_id) DO UPDATE SET version = cart_versions.version + 1`;
}

/** The version of the user's lines (0 before their first change). */
export async function linesVersionOf(prisma: PrismaClient | Tx, userId: string): Promise<string> {
  const row = await prisma.cartVersion.findUnique({ where: { userId } });
  return (row?.version ?? 0n).toString();
}

export async function setLineQuantity(
  tx: Tx,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  await tx.cartItem.upsert({
    where: { userId_productId: { userId, productId } },
    create: { userId, productId, quantity },
    update: { quantity },
  });
}

export async function removeLine(tx: Tx, userId: string, productId: string): Promise<void> {
  await tx.cartItem.deleteMany({ where: { userId, productId } });
}

export async function removeAllLines(tx: Tx, userId: string): Promise<void> {
  await tx.cartItem.deleteMany({ where: { userId } });
}
