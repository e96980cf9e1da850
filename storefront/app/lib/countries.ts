/**
 * The countries the store ships to: the user service's own list (@shop/addresses, bundled at
 * build time), so the address form offers exactly the countries the API accepts. Apart from the
 * validator, so pages that only show an address do not load it.
 */
import { SHIPPING_COUNTRIES, shippingCountry } from '@shop/addresses';

/** The countries in the select, by English name. */
export const COUNTRY_CHOICES: readonly { code: string; name: string }[] = [...SHIPPING_COUNTRIES]
  .map(({ code, name }) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

export const countryName = (code: string): string => shippingCountry(code)?.name ?? code;

/** A postal code of the country, for the form's hint. */
export const postalCodeExample = (code: string): string | undefined =>
  shippingCountry(code)?.postalCodeExample;
