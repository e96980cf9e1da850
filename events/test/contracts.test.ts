import { describe, expect, it } from 'vitest';
import {
  CONTRACTS,
  ContractError,
  OrderPlaced,
  TOPICS,
  createEvent,
  decodeEvent,
  encodeEvent,
  parseEvent,
} from '../src/index.ts';

const orderId = '7f1c2a7e-2b0a-4d55-9a6e-0f6c1d2e3a4b';
const userId = '0d9b8f3c-5e2a-4c1b-8f7e-6a5b4c3d2e1f';
const productId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const placed = () =>
  createEvent(OrderPlaced, orderId, {
    orderId,
    userId,
    items: [{ productId, quantity: 2, unitPrice: { amount: '19.99', currency: 'EUR' } }],
    total: { amount: '39.98', currency: 'EUR' },
  });

describe('event contracts', () => {
  it('binds every type to a topic of topics.ts', () => {
    const topics = new Set<string>(Object.values(TOPICS).map((t) => t.name));
    for (const contract of Object.values(CONTRACTS)) expect(topics).toContain(contract.topic);
    expect(OrderPlaced.topic).toBe('orders');
  });

  it('round-trips an event through its Kafka message', () => {
    const event = placed();
    const message = encodeEvent(event);
    expect(message.key).toBe(orderId);
    expect(message.headers['event-type']).toBe('OrderPlaced');
    const back = decodeEvent(Buffer.from(message.value), 'orders');
    expect(back).toEqual(event);
    if (back.type === 'OrderPlaced') expect(back.payload.items[0]?.quantity).toBe(2);
  });

  it('refuses bad payloads at the produce edge', () => {
    expect(() =>
      createEvent(OrderPlaced, orderId, {
        orderId,
        userId,
        items: [],
        total: { amount: 'x', currency: 'EUR' },
      }),
    ).toThrow(/OrderPlaced: invalid payload: items: .*total\.amount/);
  });

  it('explains why a consumed message is refused', () => {
    const event = placed();
    expect(() => decodeEvent(Buffer.from('{not json'))).toThrow(ContractError);
    expect(() => parseEvent({ ...event, eventId: 'nope' })).toThrow(/invalid envelope: eventId/);
    expect(() => parseEvent({ ...event, type: 'Nope' })).toThrow(/unknown event type Nope/);
    expect(() => parseEvent({ ...event, version: 9 })).toThrow(/unsupported version 9/);
    expect(() => parseEvent(event, 'payments')).toThrow(/does not belong on topic payments/);
    expect(() => parseEvent({ ...event, payload: { orderId } })).toThrow(/invalid payload/);
    expect(() => decodeEvent(null)).toThrow(/empty message/);
  });
});
