import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TrustedDocuments } from '../src/trusted-documents.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const PRODUCT = `query Product($id: ID!) { product(id: $id) { ...Card } }
fragment Card on Product { id name __typename }`;
const op = (body: string, name = 'Op') => ({ id: sha256(body), name, type: 'query', body });

describe('TrustedDocuments', () => {
  const documents = TrustedDocuments.of([op(PRODUCT, 'Product')]);
  const customer = { userId: 'u', role: 'CUSTOMER' as const };

  it('trusts a listed document by its hash, as text, and laid out or ordered another way', () => {
    expect(documents.allows({ hash: sha256(PRODUCT) }, null)).toBe(true);
    expect(documents.allows({ text: PRODUCT }, customer)).toBe(true);
    const reordered = `fragment Card on Product {
      id
      name
      __typename
    }
    query Product($id: ID!) { product(id: $id) { ...Card } }`;
    expect(documents.allows({ text: reordered }, null)).toBe(true);
    // Asked again: answered from what was worked out the first time.
    expect(documents.allows({ text: reordered }, null)).toBe(true);
  });

  it('refuses anything else unless an admin asks', () => {
    const other = PRODUCT.replace('name', 'name price { amount }');
    expect(documents.allows({ text: other }, customer)).toBe(false);
    expect(documents.allows({ hash: sha256(other) }, null)).toBe(false);
    expect(documents.allows({ text: '{ not graphql' }, null)).toBe(false);
    expect(documents.allows({}, null)).toBe(false);
    expect(documents.allows({ text: other }, { userId: 'a', role: 'ADMIN' })).toBe(true);
  });

  it('refuses a manifest whose ids are not the SHA-256 of their bodies', () => {
    expect(() => TrustedDocuments.of([{ ...op(PRODUCT), id: 'made-up' }])).toThrow(/SHA-256/);
  });
});
