import type { AddressValue } from '../lib/address.ts';
import { countryName } from '../lib/countries.ts';

/** A postal address as it goes on a parcel. */
export function AddressBlock({
  address,
  testId,
}: {
  address: AddressValue & { phone?: string };
  testId?: string;
}) {
  return (
    <address className="address" data-testid={testId}>
      <strong>{address.recipient}</strong>
      <br />
      {address.line1}
      {address.line2 && (
        <>
          <br />
          {address.line2}
        </>
      )}
      <br />
      {address.postalCode} {address.city}
      {address.region && `, ${address.region}`}
      <br />
      {countryName(address.country)}
      {address.phone && (
        <>
          <br />
          <span className="muted">Phone {address.phone}</span>
        </>
      )}
    </address>
  );
}
