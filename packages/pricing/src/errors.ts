/**
 * Pricing's errors, in two kinds the caller treats differently:
 * - PricingRefusal: the customer's choice cannot be priced (a country without tax rates, a
 *   shipping method that does not ship there). It names the contract code to raise
 *   (`contractCode`) and carries a message written for the customer.
 * - PricingInputError: the data handed in is malformed (a negative price, a fraction of a cent,
 *   a tier table out of order). That is a bug or bad configuration, not the customer's doing:
 *   let it surface as an internal error.
 * No dependency on the subgraph kit: the codes are spelled as the contract spells them.
 */

export type RefusalContractCode = 'BAD_USER_INPUT' | 'CONFLICT';

export class PricingRefusal extends Error {
  constructor(
    readonly contractCode: RefusalContractCode,
    message: string,
  ) {
    super(message);
    this.name = 'PricingRefusal';
  }
}

/** The tax table has no rates for the destination: the store does not sell there. */
export class UnknownTaxCountryError extends PricingRefusal {
  constructor(readonly country: string) {
    super('BAD_USER_INPUT', `We cannot deliver to country ${country}: it has no tax rates set.`);
    this.name = 'UnknownTaxCountryError';
  }
}

export class PricingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingInputError';
  }
}
