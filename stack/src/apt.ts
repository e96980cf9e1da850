import { StackError } from './errors.ts';
import type { Progress } from './progress.ts';
import { runCommand, runSync, which } from './process.ts';

/**
 * `apt-get install -y <packages>` for a service whose server comes from Debian (ClickHouse,
 * Prometheus), with its output reduced to "downloading X / setting up Y" on the progress line.
 * `apt-get update` runs first only when the package has no install candidate yet (a fresh
 * container's empty lists). Succeeds when `binary` is on PATH afterwards.
 */
export function aptInstall(...args: Parameters<typeof install>): Promise<void> {
  // dpkg takes one installer at a time: ClickHouse and Prometheus start side by side on a fresh
  // machine, so their installs queue here instead of one failing on the dpkg lock.
  const run = aptQueue.then(() => install(...args));
  aptQueue = run.catch(() => undefined);
  return run;
}

let aptQueue: Promise<unknown> = Promise.resolve();

async function install(
  svc: string,
  packages: readonly string[],
  binary: string,
  progress: Progress,
  /** Leave out recommended packages (Prometheus recommends node-exporter, smartmontools...). */
  options: { recommends?: boolean } = {},
): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const hint = `apt-get install -y ${packages.join(' ')}`;
  const candidate = runSync('apt-cache', ['policy', packages[0]!]).out;
  if (!/Candidate: (?!\(none\))/.test(candidate)) {
    progress.task(svc, 'apt-get update');
    const update = await runCommand('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], {
      env,
    });
    if (update.code !== 0)
      throw new StackError(`${svc}: apt-get update failed: ${update.tail.slice(-1)[0] ?? ''}`);
  }
  progress.task(svc, `apt-get install ${packages.join(' ')}`);
  const noRecommends = options.recommends === false ? ['--no-install-recommends'] : [];
  // An apt run outside the stack (an operator's own install) holds the lock too: wait for it.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  const install = await runCommand(
    'apt-get',
    [...lockWait, 'install', '-y', ...noRecommends, ...packages],
    {
      env,
      onLine(line) {
        const get = /^Get:(\d+) \S+ \S+ \S+ (\S+)/.exec(line);
        if (get) progress.task(svc, `apt: downloading ${get[2]} (#${get[1]})`);
        const setup = /^Setting up (\S+)/.exec(line);
        if (setup) progress.task(svc, `apt: setting up ${setup[1]}`);
      },
    },
  );
  if (install.code !== 0 || !which(binary)) {
    const err = install.tail.filter((l) => /^E:/.test(l))[0] ?? install.tail.slice(-1)[0] ?? '';
    throw new StackError(`${svc}: ${hint} failed: ${err}`);
  }
  progress.info(svc, `installed ${packages.join(', ')} from Debian`);
}
