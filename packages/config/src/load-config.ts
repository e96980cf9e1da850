import { ConfigError } from './config-error.ts';
import { isProblem, type Setting } from './settings.ts';

type Spec = Record<string, Setting<unknown>>;
export type ConfigOf<S extends Spec> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

/**
 * Reads every setting of `spec` (keys are environment variable names) and reports all bad ones
 * at once, so a broken deployment is fixed in one pass rather than one restart per setting.
 */
export function loadConfig<S extends Spec>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
): ConfigOf<S> {
  const values: Record<string, unknown> = {};
  const problems: { setting: string; problem: string }[] = [];
  for (const [name, setting] of Object.entries(spec)) {
    try {
      values[name] = setting.parse(env[name]);
    } catch (error) {
      if (!isProblem(error)) throw error;
      problems.push({ setting: name, problem: error.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as ConfigOf<S>;
}
