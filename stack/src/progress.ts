/**
 * Progress output for `up`. Services start in parallel, so a per-service spinner
 * would interleave; instead one shared ticking line (on a TTY) lists every task
 * still running with its elapsed time, and plain lines record finished steps.
 * Without a TTY (CI, test setup) the ticker becomes a line every 10 seconds.
 */
export interface Progress {
  /** A finished step or a notice, printed as its own line. */
  info(svc: string, message: string): void;
  /** Start or relabel the running task of a service (shown in the ticker). */
  task(svc: string, label: string): void;
  /** The service has no running task any more. */
  done(svc: string): void;
  close(): void;
}

export const silentProgress: Progress = {
  info() {},
  task() {},
  done() {},
  close() {},
};

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tasks = new Map<string, { label: string; since: number }>();
  const tty = Boolean(stream.isTTY) && process.env.CI === undefined;
  let drawn = false;
  let lastPlain = 0;

  const line = (): string => {
    const now = Date.now();
    return [...tasks]
      .map(([svc, t]) => `${svc}: ${t.label} ${Math.round((now - t.since) / 1000)}s`)
      .join(' · ');
  };
  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (): void => {
    if (tasks.size === 0) return clear();
    if (tty) {
      const text = `… ${line()}`;
      const width = Math.max(stream.columns || 120, 60);
      stream.write(`\r\x1b[2K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
      drawn = true;
    } else if (Date.now() - lastPlain >= 10_000) {
      lastPlain = Date.now();
      stream.write(`  still working: ${line()}\n`);
    }
  };
  const timer = setInterval(draw, tty ? 1000 : 2000);
  timer.unref();
  lastPlain = Date.now();

  return {
    info(svc, message) {
      clear();
      stream.write(`${svc.padEnd(13)} ${message}\n`);
      draw();
    },
    task(svc, label) {
      // The clock restarts with each phase ("maven: …", "waiting …"), not with
      // every relabel inside a phase such as a growing download count.
      const phase = (l: string): string => l.split(':')[0]!;
      const prev = tasks.get(svc);
      tasks.set(svc, {
        label,
        since: prev && phase(prev.label) === phase(label) ? prev.since : Date.now(),
      });
      draw();
    },
    done(svc) {
      tasks.delete(svc);
      clear();
      draw();
    },
    close() {
      clearInterval(timer);
      clear();
    },
  };
}
