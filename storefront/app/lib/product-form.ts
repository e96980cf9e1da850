import type { CreateProductInput } from '../graphql/generated.ts';
import { parsePriceInput } from './money.ts';

/** What the seller's product form holds (all text, as typed). */
export interface ProductFormValues {
  name: string;
  description: string;
  price: string;
  stock: string;
  categoryId: string;
  sku: string;
  images: string;
  attributes: { name: string; value: string }[];
}

export type ProductFormErrors = Partial<Record<keyof ProductFormValues, string>>;

/**
 * Checks the form before it is sent (the API checks again and has the last word; its field
 * errors land on the same fields). Returns the API input or the errors per field.
 */
export function productInput(
  values: ProductFormValues,
):
  | { input: Omit<CreateProductInput, 'sellerId'>; errors?: undefined }
  | { errors: ProductFormErrors } {
  const errors: ProductFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Enter a name.';
  else if (name.length > 200) errors.name = 'A name has at most 200 characters.';
  if (values.description.length > 5000)
    errors.description = 'A description has at most 5000 characters.';
  const price = parsePriceInput(values.price);
  if (price === null) errors.price = 'Enter a price like 24.99 (at most two decimals).';
  else if (Number(price) > 1_000_000) errors.price = 'A price is at most 1,000,000.00.';
  const stockText = values.stock.trim();
  const stock = Number(stockText);
  if (!/^\d+$/.test(stockText) || !Number.isSafeInteger(stock))
    errors.stock = 'Enter a whole number of units, 0 or more.';
  if (!values.categoryId) errors.categoryId = 'Choose a category.';
  const sku = values.sku.trim();
  if (sku && !/^[A-Za-z0-9._-]{1,64}$/.test(sku))
    errors.sku = 'Letters, digits, dot, dash and underscore only (at most 64).';
  const images = values.images
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (images.length > 10) errors.images = 'At most 10 images.';
  else if (images.some((url) => !/^https?:\/\/\S+$/.test(url)))
    errors.images = 'Each image is an http(s) address on its own line.';
  const attributes = values.attributes
    .map((a) => ({ name: a.name.trim(), value: a.value.trim() }))
    .filter((a) => a.name || a.value);
  const names = new Set<string>();
  for (const attribute of attributes) {
    if (!attribute.name || !attribute.value)
      errors.attributes = 'Give every detail a name and a value.';
    else if (names.has(attribute.name.toLowerCase()))
      errors.attributes = `“${attribute.name}” appears twice.`;
    names.add(attribute.name.toLowerCase());
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      name,
      description: values.description.trim(),
      price: price!,
      stock,
      categoryId: values.categoryId,
      ...(sku ? { sku } : {}),
      images,
      attributes,
    },
  };
}
