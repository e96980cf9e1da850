/**
 * `require()` of a module that has finished loading, answered from memory. OpenTelemetry patches
 * CommonJS modules through require-in-the-middle, whose hook sees every `require()` call of the
 * process and resolves its file again (package scope, package.json) before it can tell whether
 * the module is one it patches: Node's own loader answers a repeated `require()` from a cache
 * instead. kafkajs requires each protocol request's encoder inside the function that sends it,
 * so every fetch, offset commit and produce paid that resolution: 2–5 % of the CPU of every
 * Kafka process at 1 % sampling (CPU profiles at 100 offered orders/s, 2026-11-30), with tracing
 * on and whatever the ratio.
 *
 * Installed after the instrumentations (it must be the outermost wrapper), it remembers what a
 * module's `require(id)` returned once the required module is loaded: the same value every later
 * call would get, since the hook returns a patched module from its own cache and Node returns a
 * loaded module's exports. A module still loading (a circular require) is not remembered: its
 * exports may yet be replaced.
 */
import Module, { isBuiltin } from 'node:module';

type RequireFn = (this: Module, id: string) => unknown;
type ModuleCache = Record<string, Module | undefined>;
type Resolve = (request: string, parent: Module) => string;

const INSTALLED = Symbol.for('@shop/tracing/loaded-requires');

/** Whether `require(id)` from `parent` names a module that has finished loading. */
function loaded(id: string, parent: Module): boolean {
  if (isBuiltin(id)) return true;
  const internals = Module as unknown as { _resolveFilename: Resolve; _cache: ModuleCache };
  try {
    return internals._cache[internals._resolveFilename(id, parent)]?.loaded === true;
  } catch {
    return false;
  }
}

/** Wraps `Module.prototype.require` (once per process); returns the function that unwraps it. */
export function rememberLoadedRequires(): () => void {
  const proto = Module.prototype as unknown as { require: RequireFn; [INSTALLED]?: true };
  if (proto[INSTALLED]) return () => {};
  const viaHooks = proto.require;
  const remembered = new WeakMap<Module, Map<string, unknown>>();
  proto.require = function rememberingRequire(this: Module, id: string) {
    if (typeof this !== 'object' || this === null) return viaHooks.call(this, id);
    let byId = remembered.get(this);
    if (byId?.has(id)) return byId.get(id);
    const exports = viaHooks.call(this, id);
    if (typeof id === 'string' && loaded(id, this)) {
      if (!byId) remembered.set(this, (byId = new Map()));
      byId.set(id, exports);
    }
    return exports;
  };
  proto[INSTALLED] = true;
  return () => {
    proto.require = viaHooks;
    delete proto[INSTALLED];
  };
}
