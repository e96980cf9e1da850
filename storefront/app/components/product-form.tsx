import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { CategoryTreeDocument } from '../graphql/generated.ts';
import { buildCategoryTree, flattenTree } from '../lib/category-tree.ts';
import type { ShopError } from '../lib/errors.ts';
import {
  productInput,
  type ProductFormErrors,
  type ProductFormValues,
} from '../lib/product-form.ts';
import { ErrorNotice } from './error-notice.tsx';
import { Field } from './field.tsx';

export const EMPTY_PRODUCT: ProductFormValues = {
  name: '',
  description: '',
  price: '',
  stock: '0',
  categoryId: '',
  sku: '',
  images: '',
  attributes: [{ name: '', value: '' }],
};

type Input = Extract<ReturnType<typeof productInput>, { input: unknown }>['input'];

/**
 * Create and edit share this form. Errors show next to their fields: the form's own checks
 * first, then the API's (its BAD_USER_INPUT names the field).
 */
export function ProductForm({
  initial,
  submitLabel,
  serverError,
  pending,
  onSubmit,
  skuLocked,
}: {
  initial: ProductFormValues;
  submitLabel: string;
  serverError: ShopError | null;
  pending: boolean;
  onSubmit: (input: Input) => void;
  skuLocked?: boolean;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ProductFormErrors>({});
  const categories = useQuery(CategoryTreeDocument);
  const options = flattenTree(buildCategoryTree(categories.data?.categories ?? []));
  const set = <K extends keyof ProductFormValues>(key: K, value: ProductFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const fieldError = (key: keyof ProductFormValues) =>
    errors[key] ?? (serverError?.field === key ? serverError.message : undefined);
  const serverFieldKnown = serverError?.field !== undefined && serverError.field in EMPTY_PRODUCT;
  return (
    <form
      className="form form-wide"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const checked = productInput(values);
        if (checked.errors) {
          setErrors(checked.errors);
          return;
        }
        setErrors({});
        onSubmit(checked.input);
      }}
    >
      <Field
        label="Name"
        value={values.name}
        onChange={(e) => set('name', e.target.value)}
        error={fieldError('name')}
        maxLength={200}
        required
      />
      <Field
        label="Description"
        error={fieldError('description')}
        control={(props) => (
          <textarea
            {...props}
            rows={5}
            maxLength={5000}
            value={values.description}
            onChange={(e) => set('description', e.target.value)}
          />
        )}
      />
      <Field
        label="Price (USD)"
        inputMode="decimal"
        value={values.price}
        onChange={(e) => set('price', e.target.value)}
        error={fieldError('price')}
        placeholder="24.99"
        required
      />
      <Field
        label="Units in stock"
        inputMode="numeric"
        value={values.stock}
        onChange={(e) => set('stock', e.target.value)}
        error={fieldError('stock')}
        required
      />
      <Field
        label="Category"
        error={fieldError('categoryId')}
        control={(props) => (
          <select
            {...props}
            value={values.categoryId}
            onChange={(e) => set('categoryId', e.target.value)}
            required
          >
            <option value="">Choose a category…</option>
            {options.map((node) => (
              <option key={node.category.id} value={node.category.id}>
                {'\u00a0\u00a0'.repeat(node.depth)}
                {node.category.name}
              </option>
            ))}
          </select>
        )}
      />
      {!skuLocked && (
        <Field
          label="SKU (optional)"
          value={values.sku}
          onChange={(e) => set('sku', e.target.value)}
          error={fieldError('sku')}
          hint="Made for you when empty."
        />
      )}
      <Field
        label="Image addresses"
        error={fieldError('images')}
        hint="One http(s) address per line; the first is the main image."
        control={(props) => (
          <textarea
            {...props}
            rows={3}
            value={values.images}
            onChange={(e) => set('images', e.target.value)}
          />
        )}
      />
      <fieldset className="attribute-rows">
        <legend>Details (brand, length, power, …)</legend>
        {values.attributes.map((attribute, i) => (
          <div className="attribute-row" key={i}>
            <label className="visually-hidden" htmlFor={`attr-name-${i}`}>
              Detail {i + 1} name
            </label>
            <input
              id={`attr-name-${i}`}
              placeholder="Name"
              value={attribute.name}
              onChange={(e) =>
                set(
                  'attributes',
                  values.attributes.map((a, j) => (j === i ? { ...a, name: e.target.value } : a)),
                )
              }
            />
            <label className="visually-hidden" htmlFor={`attr-value-${i}`}>
              Detail {i + 1} value
            </label>
            <input
              id={`attr-value-${i}`}
              placeholder="Value"
              value={attribute.value}
              onChange={(e) =>
                set(
                  'attributes',
                  values.attributes.map((a, j) => (j === i ? { ...a, value: e.target.value } : a)),
                )
              }
            />
            <button
              type="button"
              className="button-secondary"
              aria-label={`Remove detail ${i + 1}`}
              onClick={() =>
                set(
                  'attributes',
                  values.attributes.filter((_, j) => j !== i),
                )
              }
            >
              Remove
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="button-secondary"
            onClick={() => set('attributes', [...values.attributes, { name: '', value: '' }])}
          >
            Add a detail
          </button>
        </div>
        {fieldError('attributes') && (
          <p className="field-error" role="alert">
            {fieldError('attributes')}
          </p>
        )}
      </fieldset>
      {serverError && !serverFieldKnown && <ErrorNotice error={serverError} />}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
