import type { SupergraphManager } from '@apollo/gateway';
import { StartupError } from '@shop/config';
import type { Logger } from '@shop/logging';
import type { SupergraphSource } from './supergraph-source.ts';

export interface ReloadingSupergraphOptions {
  source: SupergraphSource;
  /** How often a changing source is read again; 0 never. */
  pollMs: number;
  logger: Logger;
}

/**
 * Feeds @apollo/gateway its supergraph and, for a source that can change, reads it again every
 * `pollMs`: a different SDL is handed to the gateway, which swaps its schema for new requests
 * while requests in flight finish on the old one. A read or composition that fails, or a
 * supergraph the gateway refuses, leaves the running one in place, and the log says why.
 */
export function reloadingSupergraph(options: ReloadingSupergraphOptions): SupergraphManager {
  const { source, logger } = options;
  return {
    async initialize({ update }) {
      let current: string;
      try {
        current = await source.load();
      } catch (error) {
        // At start there is no running supergraph to keep: fail, naming the setting.
        if (!source.setting || error instanceof StartupError) throw error;
        // One line: the problem and its first cause (the reload log shows all of them).
        const lines = (error as Error).message
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        const more = lines.length > 2 ? ' (…)' : '';
        throw new StartupError(source.setting, `${lines.slice(0, 2).join(' ')}${more}`);
      }
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const poll = async () => {
        try {
          const next = await source.load();
          if (next === current) return;
          update(next);
          current = next;
          logger.info({ source: source.description }, 'supergraph reloaded');
        } catch (error) {
          logger.error(
            { err: error, source: source.description },
            'supergraph reload failed; the running supergraph stays',
          );
        }
      };
      const schedule = () => {
        if (stopped) return;
        timer = setTimeout(() => void poll().finally(schedule), options.pollMs);
        timer.unref();
      };
      if (source.changes && options.pollMs > 0) schedule();
      return {
        supergraphSdl: current,
        cleanup: async () => {
          stopped = true;
          clearTimeout(timer);
        },
      };
    },
  };
}
