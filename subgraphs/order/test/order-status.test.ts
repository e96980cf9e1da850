import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  InvalidTransitionError,
  ORDER_STATUSES,
  canTransition,
  isTerminal,
  transition,
  workflowEntryFor,
  type OrderEvent,
  type OrderStatus,
} from '../src/domain/order-status.ts';

const cancel: OrderEvent = { type: 'CANCEL', reason: 'changed my mind' };

describe('order status machine', () => {
  it('walks the happy path PENDING -> STOCK_RESERVED -> PAID -> COMPLETED', () => {
    let status: OrderStatus = 'PENDING';
    for (const [type, expected] of [
      ['STOCK_RESERVED', 'STOCK_RESERVED'],
      ['PAYMENT_AUTHORIZED', 'PAID'],
      ['COMPLETE', 'COMPLETED'],
    ] as const) {
      const next = transition(status, { type });
      expect(next).toEqual({ status: expected, cancelReason: null });
      status = next.status;
    }
    expect(isTerminal(status)).toBe(true);
  });

  it('cancels any non-terminal status, with the (trimmed) reason', () => {
    for (const from of ['PENDING', 'STOCK_RESERVED', 'PAID'] as const)
      expect(transition(from, { type: 'CANCEL', reason: '  too slow ' })).toEqual({
        status: 'CANCELLED',
        cancelReason: 'too slow',
      });
  });

  it('refuses every change of a terminal order', () => {
    for (const from of ['COMPLETED', 'CANCELLED'] as const)
      for (const event of [
        cancel,
        { type: 'STOCK_RESERVED' },
        { type: 'PAYMENT_AUTHORIZED' },
        { type: 'COMPLETE' },
      ] as OrderEvent[])
        expect(() => transition(from, event)).toThrow(InvalidTransitionError);
  });

  it('refuses as a CONFLICT that names the status the order is in', () => {
    let refused: unknown;
    try {
      transition('CANCELLED', cancel);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: 'The order is already CANCELLED and can no longer change',
      details: { status: 'CANCELLED' },
    });
  });

  it('refuses skipping or repeating forward steps', () => {
    expect(canTransition('PENDING', { type: 'PAYMENT_AUTHORIZED' })).toBe(false);
    expect(canTransition('PENDING', { type: 'COMPLETE' })).toBe(false);
    expect(canTransition('STOCK_RESERVED', { type: 'STOCK_RESERVED' })).toBe(false);
    expect(canTransition('PAID', { type: 'PAYMENT_AUTHORIZED' })).toBe(false);
    expect(canTransition('STOCK_RESERVED', { type: 'COMPLETE' })).toBe(false);
  });

  it('allows exactly the documented transitions', () => {
    const allowed = new Set<string>();
    const events: OrderEvent[] = [
      { type: 'STOCK_RESERVED' },
      { type: 'PAYMENT_AUTHORIZED' },
      { type: 'COMPLETE' },
      cancel,
    ];
    for (const from of ORDER_STATUSES)
      for (const event of events)
        if (canTransition(from, event)) allowed.add(`${from}->${transition(from, event).status}`);
    expect([...allowed].sort()).toEqual(
      [
        'PENDING->STOCK_RESERVED',
        'STOCK_RESERVED->PAID',
        'PAID->COMPLETED',
        'PENDING->CANCELLED',
        'STOCK_RESERVED->CANCELLED',
        'PAID->CANCELLED',
      ].sort(),
    );
  });

  it('requires a sensible cancel reason', () => {
    expect(() => transition('PENDING', { type: 'CANCEL', reason: '   ' })).toThrow(RangeError);
    expect(() => transition('PENDING', { type: 'CANCEL', reason: 'x'.repeat(501) })).toThrow(
      RangeError,
    );
  });

  it('records each change in the workflow log', () => {
    expect(workflowEntryFor(cancel)).toEqual({
      step: 'ORDER',
      event: 'CANCELLED',
      detail: 'changed my mind',
    });
    expect(workflowEntryFor({ type: 'STOCK_RESERVED' }).step).toBe('STOCK');
  });
});
