import type { EditableProductFragment } from '../graphql/generated.ts';
import type { ProductFormValues } from './product-form.ts';

/** A product as the API has it, as the form's text values. */
export function formValuesOf(product: EditableProductFragment): ProductFormValues {
  return {
    name: product.name,
    description: product.description,
    price: product.price.amount,
    stock: String(product.stock),
    categoryId: product.category.id,
    sku: product.sku,
    images: product.images.join('\n'),
    attributes: product.attributes.length
      ? product.attributes.map((a) => ({ name: a.name, value: a.value }))
      : [{ name: '', value: '' }],
  };
}
