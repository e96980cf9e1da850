import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../app/apollo/live-state.ts';
import { buildCategoryTree, flattenTree, pathTo } from '../app/lib/category-tree.ts';
import { describeError, MESSAGES } from '../app/lib/errors.ts';
import { socketCloseCode } from '../app/lib/live-errors.ts';
import { productInput, type ProductFormValues } from '../app/lib/product-form.ts';
import { safeNextPath } from '../app/lib/safe-next.ts';
import { scriptSafeJson } from '../app/lib/serialize-state.ts';
import { isCancellable, timeline } from '../app/lib/workflow.ts';
import { ERROR_CODES } from '@shop/subgraph-kit/domain-error';

describe('safeNextPath', () => {
  it('keeps paths of this site and refuses everything that could leave it', () => {
    expect(safeNextPath('/orders/1?x=2')).toBe('/orders/1?x=2');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\t/evil',
      '',
    ])
      expect(safeNextPath(bad), bad).toBe('/');
    expect(safeNextPath(null, '/account')).toBe('/account');
  });
});

describe('scriptSafeJson', () => {
  it('cannot close the script it is written into', () => {
    const json = scriptSafeJson({ name: '</script><script>alert(1)</script>', line: '\u2028' });
    expect(json).not.toContain('</script>');
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual({
      name: '</script><script>alert(1)</script>',
      line: '\u2028',
    });
  });
});

describe('category tree', () => {
  const flat = [
    { id: 'r2', name: 'Rods', parent: null },
    { id: 'c1', name: 'Spinning Reels', parent: { id: 'r1' } },
    { id: 'r1', name: 'Reels', parent: null },
    { id: 'c2', name: 'Baitcasting Reels', parent: { id: 'r1' } },
    { id: 'o', name: 'Orphan', parent: { id: 'missing' } },
  ];

  it('nests children under parents, by name, with orphans as roots', () => {
    const names = flattenTree(buildCategoryTree(flat)).map((n) => `${n.depth}:${n.category.name}`);
    expect(names).toEqual([
      '0:Orphan',
      '0:Reels',
      '1:Baitcasting Reels',
      '1:Spinning Reels',
      '0:Rods',
    ]);
  });

  it('finds the path from the root, and survives a cycle', () => {
    expect(pathTo(flat, 'c1')).toEqual(['r1', 'c1']);
    expect(pathTo(flat, 'nope')).toEqual([]);
    const cyclic = [
      { id: 'a', name: 'A', parent: { id: 'b' } },
      { id: 'b', name: 'B', parent: { id: 'a' } },
    ];
    expect(pathTo(cyclic, 'a')).toEqual(['b', 'a']);
  });
});

describe('order timeline', () => {
  it('orders events by time, names them, and marks compensations', () => {
    const entries = timeline([
      {
        step: 'STOCK',
        event: 'STOCK_RELEASED',
        detail: '1 line(s) back in stock',
        at: '2026-01-01T00:00:03Z',
      },
      { step: 'ORDER', event: 'PLACED', detail: null, at: '2026-01-01T00:00:00Z' },
      { step: 'ORDER', event: 'CANCELLED', detail: 'by the customer', at: '2026-01-01T00:00:02Z' },
      { step: 'STOCK', event: 'STOCK_RESERVED', detail: null, at: '2026-01-01T00:00:01Z' },
      { step: 'X', event: 'SOMETHING_NEW', detail: null, at: '2026-01-01T00:00:04Z' },
    ]);
    expect(entries.map((e) => [e.title, e.compensation])).toEqual([
      ['Order placed', false],
      ['Stock reserved', false],
      ['Order cancelled', false],
      ['Stock released', true],
      ['Something new', false],
    ]);
  });

  it('allows a cancel until the order is finished', () => {
    expect(['PENDING', 'STOCK_RESERVED', 'PAID'].every((s) => isCancellable(s as never))).toBe(
      true,
    );
    expect(isCancellable('COMPLETED')).toBe(false);
    expect(isCancellable('CANCELLED')).toBe(false);
  });
});

describe('errors in words', () => {
  const graphqlError = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
    new CombinedGraphQLErrors({
      data: null,
      errors: [{ message, extensions: { code, ...extensions } }],
    });

  it('keeps the API message where it speaks to the shopper, with the field and the wait', () => {
    expect(
      describeError(graphqlError('OUT_OF_STOCK', 'Only 2 left', { field: 'quantity' })),
    ).toEqual({
      code: 'OUT_OF_STOCK',
      message: 'Only 2 left',
      field: 'quantity',
    });
    expect(describeError(graphqlError('RATE_LIMITED', 'Busy', { retryAfter: 3 }))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: 3,
    });
  });

  it('uses its own words for internal errors and unknown codes', () => {
    expect(
      describeError(graphqlError('INTERNAL_SERVER_ERROR', 'pg: relation missing')).message,
    ).toBe(MESSAGES.INTERNAL_SERVER_ERROR);
    expect(describeError(graphqlError('WEIRD', 'x')).code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('tells a network failure apart', () => {
    expect(describeError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
  });

  it('has a message for every contract code', () => {
    // The contract's own list: a code added to it fails here until the storefront explains it.
    for (const code of ERROR_CODES) expect(MESSAGES[code].length).toBeGreaterThan(10);
  });
});

describe('live updates', () => {
  it('reads the close code of a closed socket', () => {
    expect(socketCloseCode(new Error('Socket closed with event 4401 Access token expired'))).toBe(
      4401,
    );
    expect(socketCloseCode(new Error('Socket closed'))).toBeNull();
    expect(socketCloseCode(null)).toBeNull();
  });

  it('backs off from half a second to ten, with jitter', () => {
    expect(reconnectDelayMs(0, 0.5)).toBe(500);
    expect(reconnectDelayMs(3, 0.5)).toBe(4000);
    expect(reconnectDelayMs(10, 0.5)).toBe(10_000);
    expect(reconnectDelayMs(10, 0)).toBe(7500);
    expect(reconnectDelayMs(10, 1)).toBe(12_500);
  });
});

describe('product form', () => {
  const valid: ProductFormValues = {
    name: ' Glide Bait ',
    description: 'Slow sinking.',
    price: '34.5',
    stock: '7',
    categoryId: 'c1',
    sku: '',
    images: 'https://img.example/a.jpg\n\n',
    attributes: [
      { name: 'Length', value: '8 in' },
      { name: '', value: '' },
    ],
  };

  it('turns the typed values into the API input', () => {
    expect(productInput(valid)).toEqual({
      input: {
        name: 'Glide Bait',
        description: 'Slow sinking.',
        price: '34.50',
        stock: 7,
        categoryId: 'c1',
        images: ['https://img.example/a.jpg'],
        attributes: [{ name: 'Length', value: '8 in' }],
      },
    });
  });

  it('names every field that is wrong', () => {
    const result = productInput({
      ...valid,
      name: ' ',
      price: '1.234',
      stock: '-1',
      categoryId: '',
      sku: 'no spaces',
      images: 'ftp://x',
      attributes: [{ name: 'Length', value: '' }],
    });
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(
      ['attributes', 'categoryId', 'images', 'name', 'price', 'sku', 'stock'].sort(),
    );
  });

  it('refuses a detail named twice', () => {
    const result = productInput({
      ...valid,
      attributes: [
        { name: 'Length', value: '8 in' },
        { name: 'length', value: '9 in' },
      ],
    });
    expect(result.errors?.attributes).toContain('twice');
  });
});
