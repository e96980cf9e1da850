/**
 * The contract's Money and its exact cents arithmetic live in @shop/pricing (pure, no GraphQL),
 * so that the checkout's totals and the subgraphs parse and format amounts with one piece of
 * code. Re-exported here for the subgraphs that already import it from the kit.
 */
export * from '@shop/pricing/money';
