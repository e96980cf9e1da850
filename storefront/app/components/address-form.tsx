import { useId, useRef, useState } from 'react';
import {
  ADDRESS_FIELDS,
  ADDRESS_LABELS,
  ADDRESS_LIMITS,
  PHONE_MAX_LENGTH,
  addressInputFrom,
  addressProblems,
  fieldMessage,
  isAddressField,
  type AddressField,
  type AddressInput,
} from '../lib/address.ts';
import { COUNTRY_CHOICES, postalCodeExample } from '../lib/countries.ts';
import { describeError, type ShopError } from '../lib/errors.ts';
import { ErrorNotice } from './error-notice.tsx';
import { Field } from './field.tsx';

type Problems = Partial<Record<AddressField, string>>;
type FieldProps = Parameters<typeof Field>[0];

/** The country a new address starts with. */
const DEFAULT_COUNTRY = 'US';

/**
 * An address, new or edited. The address book's own validator (@shop/addresses) marks every
 * wrong field at once before anything is sent; what only the API knows (a full book, a removed
 * address) comes back from it, next to the field it names or above the buttons.
 */
export function AddressForm({
  initial,
  label,
  headingLevel = 3,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial?: Partial<AddressInput> | null;
  /** The form's heading, which names it. */
  label: string;
  headingLevel?: 2 | 3;
  submitLabel: string;
  /** Saves the address; a rejection is shown on the form. */
  onSave: (input: AddressInput) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const [country, setCountry] = useState(initial?.country || DEFAULT_COUNTRY);
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<ShopError | null>(null);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();

  const focusField = (field: AddressField) => {
    const element = formRef.current?.elements.namedItem(field);
    if (element instanceof HTMLElement) element.focus();
  };

  const text = (field: AddressField, extra: Omit<FieldProps, 'label'> = {}) => (
    <Field
      label={ADDRESS_LABELS[field]}
      name={field}
      defaultValue={initial?.[field] ?? ''}
      error={problems[field]}
      {...extra}
    />
  );
  const example = postalCodeExample(country);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <form
      ref={formRef}
      className="form address-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const input = addressInputFrom(new FormData(event.currentTarget));
        const found = addressProblems(input);
        setProblems(found);
        setFailure(null);
        const first = ADDRESS_FIELDS.find((field) => found[field]);
        if (first) {
          focusField(first);
          return;
        }
        setPending(true);
        onSave(input)
          .catch((err: unknown) => {
            const error = describeError(err);
            if (isAddressField(error.field)) {
              setProblems({ [error.field]: fieldMessage(error.field, error.message) });
              focusField(error.field);
            } else setFailure(error);
          })
          .finally(() => setPending(false));
      }}
    >
      <Heading id={headingId} className="form-title">
        {label}
      </Heading>
      {text('recipient', { autoComplete: 'name', maxLength: ADDRESS_LIMITS.recipient.max })}
      {text('phone', {
        type: 'tel',
        autoComplete: 'tel',
        maxLength: PHONE_MAX_LENGTH,
        hint: 'For the carrier, in case they need to reach you.',
      })}
      {text('line1', { autoComplete: 'address-line1', maxLength: ADDRESS_LIMITS.line1.max })}
      {text('line2', {
        autoComplete: 'address-line2',
        maxLength: ADDRESS_LIMITS.line2.max,
        hint: 'Optional.',
      })}
      <div className="field-row">
        {text('postalCode', {
          autoComplete: 'postal-code',
          maxLength: 20,
          ...(example ? { hint: `For example ${example}.` } : {}),
        })}
        {text('city', { autoComplete: 'address-level2', maxLength: ADDRESS_LIMITS.city.max })}
      </div>
      {text('region', {
        autoComplete: 'address-level1',
        maxLength: ADDRESS_LIMITS.region.max,
        hint: 'Optional.',
      })}
      <Field
        label={ADDRESS_LABELS.country}
        error={problems.country}
        hint="The countries we ship to."
        control={(props) => (
          <select
            {...props}
            name="country"
            autoComplete="country"
            value={country}
            onChange={(event) => setCountry(event.target.value)}
          >
            {COUNTRY_CHOICES.map((choice) => (
              <option key={choice.code} value={choice.code}>
                {choice.name}
              </option>
            ))}
          </select>
        )}
      />
      {failure && <ErrorNotice error={failure} />}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
