import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep, wakeUp } from '../src/index.ts';

describe('sleep', () => {
  it('leaves no listener on long-lived signals, whether it times out or is woken', async () => {
    const stop = new AbortController();
    let wake = new AbortController();
    for (let i = 0; i < 200; i++) {
      const waited = sleep(i % 2 === 0 ? 1 : 60_000, [stop.signal, wake.signal]);
      if (i % 2 === 1) wake.abort();
      await waited;
      if (wake.signal.aborted) wake = new AbortController();
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(wake.signal, 'abort')).toHaveLength(0);
  });

  // Each wait below is a minute long: the test finishes only if they end early.
  it('returns at once on an aborted signal and early when one aborts', async () => {
    const done = new AbortController();
    done.abort();
    await sleep(60_000, done.signal);
    const later = new AbortController();
    const waited = sleep(60_000, [new AbortController().signal, later.signal]);
    later.abort();
    await waited;
  });

  it('is cut short by wakeUp, which makes no DOMException, also when called again', async () => {
    const wake = new AbortController();
    const waited = sleep(60_000, wake.signal);
    wakeUp(wake);
    wakeUp(wake);
    await waited;
    expect(wake.signal.aborted).toBe(true);
    expect(wake.signal.reason).not.toBeInstanceOf(DOMException);
    expect(wake.signal.reason).not.toBeInstanceOf(Error);
  });
});
