import { describe, expect, it } from 'vitest';
import { locatedError } from 'graphql';
import { maskError } from '@shop/subgraph-kit';
import {
  assertManagesReview,
  assertOwnsSeller,
  sellerOwnerFor,
} from '../src/domain/permissions.ts';
import { parseSellerFields } from '../src/domain/seller-input.ts';

const ID = '0b6f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e00';
const OTHER = '1c7f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e01';
/**
 * The extensions a client gets for the rule's refusal: the error as graphql-js wraps a
 * resolver's error, then masked (an unexpected error would be INTERNAL_SERVER_ERROR).
 */
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const located = locatedError(error, undefined, ['mutation']);
    return maskError(located.toJSON(), located, () => {}).extensions;
  }
  return null;
};

describe('parseSellerFields', () => {
  it('derives the slug on create and trims', () => {
    expect(parseSellerFields({ name: '  Pike & Perch Co. ' }, true)).toEqual({
      name: 'Pike & Perch Co.',
      slug: 'pike-perch-co',
    });
  });
  it('refuses a missing name on create, nulls for name and slug, bad slugs', () => {
    expect(errorOf(() => parseSellerFields({}, true))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(errorOf(() => parseSellerFields({ name: null }))).toMatchObject({ field: 'name' });
    expect(errorOf(() => parseSellerFields({ slug: 'A B' }))).toMatchObject({ field: 'slug' });
    expect(errorOf(() => parseSellerFields({ name: '%%%' }, true))).toMatchObject({
      field: 'slug',
    });
  });
  it('leaves absent fields out of an update and clears a null description', () => {
    expect(parseSellerFields({ description: null })).toEqual({ description: '' });
    expect(parseSellerFields({})).toEqual({});
  });
});

describe('seller and review permissions', () => {
  it('gives a new seller to the calling SELLER, or to whom an ADMIN names', () => {
    expect(sellerOwnerFor({ userId: ID, role: 'SELLER' }, null)).toBe(ID);
    expect(sellerOwnerFor({ userId: ID, role: 'ADMIN' }, OTHER)).toBe(OTHER);
    expect(sellerOwnerFor({ userId: ID, role: 'ADMIN' }, null)).toBeNull();
    expect(errorOf(() => sellerOwnerFor({ userId: ID, role: 'SELLER' }, OTHER))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(errorOf(() => sellerOwnerFor({ userId: ID, role: 'CUSTOMER' }, null))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
  it('lets owners and admins change a seller, authors and admins delete a review', () => {
    expect(
      errorOf(() => assertOwnsSeller({ userId: ID, role: 'SELLER' }, { ownerUserId: ID })),
    ).toBeNull();
    expect(
      errorOf(() => assertOwnsSeller({ userId: ID, role: 'SELLER' }, { ownerUserId: OTHER })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      errorOf(() => assertOwnsSeller({ userId: ID, role: 'ADMIN' }, { ownerUserId: null })),
    ).toBeNull();
    expect(
      errorOf(() => assertManagesReview({ userId: ID, role: 'CUSTOMER' }, { userId: ID })),
    ).toBeNull();
    expect(
      errorOf(() => assertManagesReview({ userId: ID, role: 'SELLER' }, { userId: OTHER })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      errorOf(() => assertManagesReview({ userId: ID, role: 'ADMIN' }, { userId: OTHER })),
    ).toBeNull();
  });
});
