import path from 'node:path';
import { start, type Proc } from '../processes.ts';

/**
 * Hive Gateway (`@graphql-hive/gateway`'s CLI) on a supergraph file: its defaults, optionally a
 * config file, and `rust` for the Rust query planner (`@graphql-hive/router-runtime`).
 */
export function startHiveGateway(options: {
  root: string;
  supergraphPath: string;
  port: number;
  rust: boolean;
  configPath?: string;
}): Proc {
  return start(
    options.rust ? 'hive-rust' : 'hive',
    process.execPath,
    [
      path.join(options.root, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
      'supergraph',
      options.supergraphPath,
      '--port',
      String(options.port),
      '--host',
      '127.0.0.1',
      ...(options.configPath ? ['--config-path', options.configPath] : []),
      ...(options.rust ? ['--hive-router-runtime'] : []),
    ],
    { NODE_ENV: 'production' },
    options.root,
  );
}
