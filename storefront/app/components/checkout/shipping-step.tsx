import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { SetCartShippingMethodDocument } from '../../graphql/generated.ts';
import { countryName } from '../../lib/countries.ts';
import { checkoutMessage, formatDays } from '../../lib/checkout.ts';
import { describeError } from '../../lib/errors.ts';
import { isZeroMoney } from '../../lib/money.ts';
import { Money } from '../money.tsx';
import { stepElementId, type StepProps } from './types.ts';

/** How the order ships: the methods quoted for the cart and its address, cheapest first. */
export function ShippingStep({ cart, error, setError, track }: StepProps) {
  const [setMethod, setting] = useMutation(SetCartShippingMethodDocument);
  // The method being chosen shows as chosen while the cart takes it.
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = picked ?? cart.shippingMethod?.id;
  const errorId = `${stepElementId('method')}-error`;
  const address = cart.shippingAddress;
  return (
    <fieldset
      className="step"
      id={stepElementId('method')}
      tabIndex={-1}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        <h2>Shipping method</h2>
      </legend>
      {!address ? (
        <p className="muted">Choose an address to see how we can ship there.</p>
      ) : cart.shippingOptions.length === 0 ? (
        <p className="notice notice-error" data-testid="no-shipping">
          We have no way to ship this cart to {countryName(address.country)}. Choose another
          address, or change the cart.
        </p>
      ) : (
        <ul className="choices" aria-label="Shipping methods">
          {cart.shippingOptions.map((option) => (
            <li key={option.method.id}>
              <label className="choice choice-method" data-testid="shipping-option">
                <input
                  type="radio"
                  name="shipping-method"
                  value={option.method.id}
                  checked={chosen === option.method.id}
                  disabled={setting.loading}
                  onChange={() => {
                    setError(null);
                    setPicked(option.method.id);
                    track(setMethod({ variables: { methodId: option.method.id } }))
                      .catch((err: unknown) => setError(describeError(err)))
                      .finally(() => setPicked(null));
                  }}
                />
                <span className="choice-name">
                  {option.method.name} <span className="muted">({option.method.carrier})</span>
                </span>
                <span className="choice-price">
                  {isZeroMoney(option.price) ? 'Free' : <Money value={option.price} />}
                </span>
                <span className="choice-days muted">{formatDays(option.estimatedDays)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert" data-code={error.code}>
          {checkoutMessage(error)}
        </p>
      )}
    </fieldset>
  );
}
