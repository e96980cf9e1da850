// The benchmarks' system is the shared one of scripts/lib (the browser tests start it too).
// Benchmarks measure the services with tracing off unless TRACING_ENABLED says otherwise:
// their figures compare with earlier runs, and tracing's own cost is measured apart, side by
// side (off, 100 %, 1 %). scripts/lib/app-services.ts reads the setting when a system starts.
process.env.TRACING_ENABLED ??= 'false';

export {
  startSystem as startBenchSystem,
  type RunningSystem as BenchSystem,
} from '../../scripts/lib/system.ts';
