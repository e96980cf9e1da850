import { fromMinorUnits } from '@shop/pricing';
import {
  DomainError,
  pageSize,
  parseId,
  parseTimeIdCursor,
  requireRole,
  timeIdCursor,
  toConnection,
} from '@shop/subgraph-kit';
import {
  createDiscountCode,
  disableDiscountCode,
  listDiscountCodes,
  type DiscountCodeView,
} from '../data/discount-codes.ts';
import { loadStoreSettings } from '../data/store-settings.ts';
import { parseDiscountCodeInput } from '../domain/discount-code-input.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

const withCurrency = async <T extends object>(
  ctx: Parameters<typeof loadStoreSettings>[0],
  row: T,
) => ({
  ...row,
  currency: (await loadStoreSettings(ctx)).currency,
});

/** The admin's discount codes: thin, the rules are in domain/discount-code-input.ts. */
export const discountCodeResolvers: Resolvers = {
  Query: {
    discountCodes: async (_, args, ctx) => {
      requireRole(ctx, 'ADMIN');
      const limit = pageSize(args.first);
      const [page, store] = await Promise.all([
        listDiscountCodes(ctx.db, limit, parseTimeIdCursor(args.after)),
        loadStoreSettings(ctx.db),
      ]);
      const rows = page.rows.map((row) => ({ ...row, currency: store.currency }));
      return toConnection(rows, limit, page.totalCount, timeIdCursor);
    },
  },
  Mutation: {
    createDiscountCode: async (_, args, ctx) => {
      requireRole(ctx, 'ADMIN');
      const code = parseDiscountCodeInput(args.input, new Date());
      return withCurrency(ctx.db, await createDiscountCode(ctx.db, code));
    },
    disableDiscountCode: async (_, args, ctx) => {
      requireRole(ctx, 'ADMIN');
      const disabled = await disableDiscountCode(ctx.db, parseId(args.id));
      if (!disabled) throw new DomainError('NOT_FOUND', 'No such discount code');
      return withCurrency(ctx.db, disabled);
    },
  },
  DiscountCode: {
    value: (c: DiscountCodeView) =>
      c.kind === 'PERCENTAGE'
        ? (c.value / 100).toString()
        : c.kind === 'FIXED_AMOUNT'
          ? fromMinorUnits(c.value, c.currency).amount
          : '0',
    minSubtotal: (c) => fromMinorUnits(c.minSubtotal, c.currency),
    startsAt: (c) => c.startsAt.toISOString(),
    endsAt: (c) => c.endsAt?.toISOString() ?? null,
    createdAt: (c) => c.createdAt.toISOString(),
    appliesTo: (c) => ({
      allProducts: c.categoryIds.length === 0 && c.productIds.length === 0,
      categoryIds: c.categoryIds,
      productIds: c.productIds,
    }),
  },
};
