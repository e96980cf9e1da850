import type { PrismaClient } from '@shop/prisma/user';
import type { NewRefreshToken, RefreshTokenStore } from '../domain/ports.ts';
import type { StoredRefreshToken } from '../domain/refresh-tokens.ts';

/** Refresh-token families in PostgreSQL (only token hashes are stored). */
export class PrismaRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.prisma.refreshToken.create({ data: token });
  }

  findByHash(tokenHash: string): Promise<StoredRefreshToken | null> {
    return this.prisma.refreshToken.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        userId: true,
        familyId: true,
        expiresAt: true,
        revokedAt: true,
        replacedById: true,
      },
    });
  }

  async rotate(currentId: string, next: NewRefreshToken, now: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      // The conditional update is the claim: of two concurrent rotations only one matches.
      const claimed = await tx.refreshToken.updateMany({
        where: { id: currentId, replacedById: null, revokedAt: null, expiresAt: { gt: now } },
        data: { replacedById: next.id, revokedAt: now },
      });
      if (claimed.count !== 1) return false;
      await tx.refreshToken.create({ data: next });
      return true;
    });
  }

  async revokeFamily(familyId: string, userId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, userId, revokedAt: null },
      data: { revokedAt: now },
    });
  }

  async revokeOtherFamilies(
    userId: string,
    keepFamilyId: string | undefined,
    now: Date,
    accessTokensSince: Date,
  ): Promise<string[]> {
    const other = keepFamilyId ? { familyId: { not: keepFamilyId } } : {};
    const families = await this.prisma.refreshToken.findMany({
      where: {
        userId,
        ...other,
        OR: [{ revokedAt: null }, { createdAt: { gte: accessTokensSince } }],
      },
      distinct: ['familyId'],
      select: { familyId: true },
    });
    await this.prisma.refreshToken.updateMany({
      where: { userId, ...other, revokedAt: null },
      data: { revokedAt: now },
    });
    return families.map((f) => f.familyId);
  }
}
