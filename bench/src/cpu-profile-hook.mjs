// Loaded with NODE_OPTIONS=--import (Node 20 refuses --cpu-prof there): profiles the process
// with the inspector and writes <dir>/<title>-<pid>.cpuprofile when it exits. SIGUSR2 starts the
// profile afresh (a bench sends it as its timed run starts, leaving start-up and warm-up out).
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('SIGUSR2', () => {
    session.post('Profiler.stop', () => session.post('Profiler.start'));
  });
  process.on('exit', () => {
    // A same-thread inspector session answers synchronously, so this runs within 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      const name =
        process.env.CPU_PROFILE_NAME ??
        path.basename(process.argv[1] ?? 'node').replace(/\W+/g, '_');
      writeFileSync(
        path.join(dir, `${name}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
}
