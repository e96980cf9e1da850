/** A setting that is missing or malformed; the message names the setting, never its value if secret. */
export class ConfigError extends Error {
  constructor(readonly problems: { setting: string; problem: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.setting} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A dependency named by a setting cannot be used at start-up (database unreachable, broker down).
 * Raised instead of the driver's own error so the operator sees which setting to check.
 */
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'StartupError';
  }
}
