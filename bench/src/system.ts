// The benchmarks' system is the shared one of scripts/lib (the browser tests start it too).
export {
  startSystem as startBenchSystem,
  type RunningSystem as BenchSystem,
} from '../../scripts/lib/system.ts';
