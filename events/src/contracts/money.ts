import { z } from 'zod';

/** Money as on the graph: a decimal string amount and an ISO 4217 currency. */
export const moneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d{1,2})?$/, 'must be a decimal string with up to 2 decimals'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code'),
});
export type MoneyPayload = z.infer<typeof moneySchema>;
