import { ConfigError, StartupError } from './config-error.ts';

/**
 * Runs a service's start-up. A configuration or start-up error becomes one line on stderr and
 * exit code 1: operators read it in a terminal or a container log, where a stack trace hides it.
 */
export async function runMain(name: string, main: () => Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      process.stderr.write(
        `${name}: failed to start: ${(error as Error)?.stack ?? String(error)}\n`,
      );
    }
    process.exit(1);
  }
}
