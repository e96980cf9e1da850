import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { ApplyDiscountCodeDocument, RemoveDiscountCodeDocument } from '../../graphql/generated.ts';
import { checkoutMessage } from '../../lib/checkout.ts';
import { describeError } from '../../lib/errors.ts';
import { isZeroMoney } from '../../lib/money.ts';
import { Field } from '../field.tsx';
import { Money } from '../money.tsx';
import { stepElementId, type StepProps } from './types.ts';

/** The API's limit on a code's length. */
const CODE_MAX_LENGTH = 40;

/**
 * A discount code: applied, or refused with the API's reason (unknown, expired, below its
 * minimum, nothing it applies to, used up). A code the cart holds that stopped applying shows
 * why, and takes nothing off until it is removed or the cart meets it again.
 */
export function DiscountStep({ cart, error, setError, track }: StepProps) {
  const [apply, applying] = useMutation(ApplyDiscountCodeDocument);
  const [remove, removing] = useMutation(RemoveDiscountCodeDocument);
  const [code, setCode] = useState('');
  const held = cart.discountCode;
  const message = error ? checkoutMessage(error) : undefined;
  return (
    <section
      className="step"
      id={stepElementId('code')}
      tabIndex={-1}
      aria-labelledby="discount-title"
    >
      <h2 id="discount-title">Discount</h2>
      {held ? (
        <div data-testid="discount-held">
          <p>
            Code <strong data-testid="discount-code">{held}</strong>
            {!cart.discountProblem && !isZeroMoney(cart.totals.discount) && (
              <>
                : <Money value={cart.totals.discount} /> off
              </>
            )}
            {!cart.discountProblem && isZeroMoney(cart.totals.discount) && ' applied'}
          </p>
          {(cart.discountProblem || message) && (
            <p className="field-error" role="alert" data-testid="discount-problem">
              {message ?? cart.discountProblem}
            </p>
          )}
          <button
            type="button"
            className="button-secondary"
            disabled={removing.loading}
            onClick={() => {
              setError(null);
              track(remove()).catch((err: unknown) => setError(describeError(err)));
            }}
          >
            Remove code
          </button>
        </div>
      ) : (
        <form
          className="code-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const text = code.trim();
            if (!text) {
              setError({ code: 'BAD_USER_INPUT', message: 'Enter a discount code.' });
              return;
            }
            setError(null);
            track(apply({ variables: { code: text } })).then(
              () => setCode(''),
              (err: unknown) => setError(describeError(err)),
            );
          }}
        >
          <Field
            label="Discount code"
            name="code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={CODE_MAX_LENGTH}
            error={message}
          />
          <button type="submit" className="button-secondary" disabled={applying.loading}>
            {applying.loading ? 'Applying…' : 'Apply'}
          </button>
        </form>
      )}
    </section>
  );
}
