import { Prisma, type PrismaClient, type User } from '@shop/prisma/user';
import type { UserRecord, UserStore } from '../domain/ports.ts';

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Users in PostgreSQL; the unique index on email settles concurrent sign-ups with one address. */
export class PrismaUserStore implements UserStore {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  async create(data: {
    email: string;
    passwordHash: string;
    name: string;
  }): Promise<UserRecord | 'email-taken'> {
    try {
      return await this.prisma.user.create({ data });
    } catch (error) {
      if (isUniqueViolation(error)) return 'email-taken';
      throw error;
    }
  }

  async update(
    id: string,
    data: { name?: string; email?: string; passwordHash?: string },
  ): Promise<UserRecord | 'email-taken'> {
    try {
      return await this.prisma.user.update({ where: { id }, data });
    } catch (error) {
      if (isUniqueViolation(error)) return 'email-taken';
      throw error;
    }
  }
}
