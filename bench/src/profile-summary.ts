/**
 * Where a V8 CPU profile's time went: self time by package (node_modules/<name>), by this
 * project's files, Node's internals, garbage collection and idle, then the hottest functions.
 * `npm run bench:profile -- .stack/profiles/<file>.cpuprofile [top]`
 *
 * Also what tracing itself costs the process: the self time of OpenTelemetry's packages, of
 * packages/tracing, of the module hooks that patch the instrumented libraries, and of Node's
 * async hooks, which AsyncLocalStorage (OpenTelemetry's context manager) turns on for every
 * promise once a trace's context is first entered (Node 20). None of these runs with tracing off.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function place(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (V8, native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:') || (!url.includes('/') && url !== '')) return 'node internals';
  if (url === '') return 'native';
  const project = url
    .replace(/^file:\/\//, '')
    .match(/\/(gateway|packages|subgraphs|workers|events|bench)\/.*/);
  return project ? `project ${project[0].split('/').slice(1, 3).join('/')}` : url;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) =>
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
);
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
/** Whether a frame is tracing's own work (see above). */
const TRACING_URL =
  /node_modules\/@opentelemetry\/|node_modules\/(require|import)-in-the-middle\/|\/packages\/tracing\/|^node:(internal\/)?async_hooks$|^node:internal\/async_local_storage/;
const places = new Map<string, number>();
const functions = new Map<string, number>();
let tracingMicros = 0;
for (const [id, micros] of selfMicros) {
  const { callFrame } = byId.get(id)!;
  const where = place(callFrame.url, callFrame.functionName);
  places.set(where, (places.get(where) ?? 0) + micros);
  const fn = `${callFrame.functionName || '(anonymous)'} ${where} :${callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + micros);
  // Node's trampoline into every native callback runs with or without hooks.
  if (TRACING_URL.test(callFrame.url) && callFrame.functionName !== 'callbackTrampoline')
    tracingMicros += micros;
}
const busyMicros = total - (places.get('idle') ?? 0);
const percent = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
const top = Number(topArg ?? 25);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
for (const [where, micros] of [...places].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${percent(micros)}  ${where}`);
console.log(
  `\ntracing's own code (OpenTelemetry, packages/tracing, module hooks, async hooks): ${((100 * tracingMicros) / busyMicros).toFixed(1)} % of busy time`,
);
console.log('\nhottest functions (self time):');
for (const [fn, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${percent(micros)}  ${fn}`);
