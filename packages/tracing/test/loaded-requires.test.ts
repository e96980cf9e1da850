import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberLoadedRequires } from '../src/loaded-requires.ts';

type RequireFn = (this: unknown, id: string) => unknown;
const proto = Module.prototype as unknown as { require: RequireFn };

describe('require() of loaded modules, with a require hook installed', () => {
  let dir: string;
  let original: RequireFn;
  /** Calls that reached the hook (require-in-the-middle resolves the file on every one). */
  let hooked: string[];
  let unwrap: () => void;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loaded-requires-'));
    original = proto.require;
    hooked = [];
    proto.require = function (this: unknown, id: string) {
      hooked.push(id);
      return original.call(this, id);
    };
    unwrap = rememberLoadedRequires();
  });

  afterEach(() => {
    unwrap();
    proto.require = original;
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, source: string) => writeFileSync(path.join(dir, name), source);

  it('reaches the hook once for a module required again and again (kafkajs requires its encoders per request)', () => {
    file('encoder.cjs', 'module.exports = { encode: (n) => n * 2 };');
    file('client.cjs', "exports.send = (n) => require('./encoder.cjs').encode(n);");
    const client = createRequire(path.join(dir, 'main.cjs'))('./client.cjs') as {
      send(n: number): number;
    };
    const results = Array.from({ length: 100 }, (_, n) => client.send(n));
    expect(results[99]).toBe(198);
    expect(hooked.filter((id) => id === './encoder.cjs')).toHaveLength(1);
    // Built-in modules too.
    const requireHere = createRequire(path.join(dir, 'main.cjs'));
    for (let i = 0; i < 10; i++) requireHere('node:zlib');
    expect(hooked.filter((id) => id === 'node:zlib')).toHaveLength(1);
  });

  it('does not remember a module that was still loading: its exports may yet be replaced', () => {
    // a.cjs requires b.cjs, which requires a.cjs back while a.cjs is loading (its first exports)
    // and again later, when a.cjs has replaced them.
    file('a.cjs', "exports.early = true; const b = require('./b.cjs'); module.exports = { b };");
    file(
      'b.cjs',
      "const atLoad = require('./a.cjs'); exports.atLoad = atLoad; exports.later = () => require('./a.cjs');",
    );
    const a = createRequire(path.join(dir, 'main.cjs'))('./a.cjs') as {
      b: { atLoad: unknown; later(): unknown };
    };
    expect((a.b.atLoad as { early?: boolean }).early).toBe(true);
    expect(a.b.atLoad).not.toBe(a);
    expect(a.b.later()).toBe(a);
    expect(a.b.later()).toBe(a);
  });

  it('is undone by the function it returns', () => {
    unwrap();
    file('m.cjs', 'module.exports = {};');
    const requireHere = createRequire(path.join(dir, 'main.cjs'));
    requireHere('./m.cjs');
    requireHere('./m.cjs');
    expect(hooked.filter((id) => id === './m.cjs')).toHaveLength(2);
  });
});
