import { PassThrough } from 'node:stream';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConnectionCounter, upgradeHandler } from '../src/subscriptions/connection-limits.ts';

describe('ConnectionCounter', () => {
  it('allows `max` per key, refuses the next without counting it, and frees on release', () => {
    const counter = new ConnectionCounter(2);
    expect([counter.acquire('a'), counter.acquire('a'), counter.acquire('a')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(counter.acquire('b')).toBe(true);
    counter.release('a');
    expect(counter.acquire('a')).toBe(true);
    expect(counter.acquire('a')).toBe(false);
  });
});

describe('upgradeHandler', () => {
  const request = (url: string) => ({ url, headers: {} }) as http.IncomingMessage;
  const answerOf = (socket: PassThrough) => {
    const chunk = socket.read() as Buffer | null;
    return chunk?.toString('utf8').split('\r\n')[0];
  };

  it('upgrades up to the limit per address, answers 429 beyond, and frees a place when a socket closes', () => {
    const upgraded: PassThrough[] = [];
    const handle = upgradeHandler({
      path: '/graphql',
      max: 2,
      addressOf: () => '192.0.2.1',
      upgrade: (_req, socket) => upgraded.push(socket as PassThrough),
    });
    const sockets = [new PassThrough(), new PassThrough(), new PassThrough()];
    for (const socket of sockets) handle(request('/graphql'), socket, Buffer.alloc(0));
    expect(upgraded).toEqual(sockets.slice(0, 2));
    expect(answerOf(sockets[2]!)).toBe('HTTP/1.1 429 Too Many Requests');

    sockets[0]!.emit('close');
    const next = new PassThrough();
    handle(request('/graphql?x=1'), next, Buffer.alloc(0));
    expect(upgraded).toContain(next);
  });

  it('answers 404 for another path', () => {
    const handle = upgradeHandler({
      path: '/graphql',
      max: 2,
      addressOf: () => '192.0.2.1',
      upgrade: () => expect.fail('upgraded'),
    });
    const socket = new PassThrough();
    handle(request('/other'), socket, Buffer.alloc(0));
    expect(answerOf(socket)).toBe('HTTP/1.1 404 Not Found');
  });
});
