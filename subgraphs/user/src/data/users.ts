import { Prisma, type PrismaClient, type User } from '@shop/prisma/user';
import { UserRegistered, UserUpdated, createEvent, writeOutboxEvent } from '@shop/events';
import type { UserRecord, UserStore } from '../domain/ports.ts';

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

const snapshot = (user: UserRecord) => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
});

/**
 * Users in PostgreSQL; the unique index on email settles concurrent sign-ups with one address.
 * A new or changed account writes UserRegistered/UserUpdated to the user outbox in the same
 * transaction, so the event exists if and only if the change does.
 */
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
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data });
        await writeOutboxEvent(tx, createEvent(UserRegistered, user.id, snapshot(user)));
        return user;
      });
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
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.update({ where: { id }, data });
        // A password change is not news for other services (and must not travel).
        if (data.name !== undefined || data.email !== undefined)
          await writeOutboxEvent(tx, createEvent(UserUpdated, user.id, snapshot(user)));
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'email-taken';
      throw error;
    }
  }
}
