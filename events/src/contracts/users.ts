import { z } from 'zod';
import { defineEvent } from './envelope.ts';

/**
 * The account as other services need it (a snapshot): the email is here because mail and CRM
 * consumers address the user by it; the password hash never leaves the user service.
 */
const userSnapshot = z.object({
  userId: z.uuid(),
  email: z.email(),
  name: z.string().min(1),
  role: z.enum(['CUSTOMER', 'SELLER', 'ADMIN']),
});

export const UserRegistered = defineEvent('UserRegistered', {
  topic: 'users',
  aggregateType: 'user',
  payload: userSnapshot,
});

export const UserUpdated = defineEvent('UserUpdated', {
  topic: 'users',
  aggregateType: 'user',
  payload: userSnapshot,
});
