import { int, loadConfig, secret, str, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const userSettings = {
  ...subgraphSettings(4002),
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** PKCS#8 PEM of the ES256 key that signs access tokens; its public half is served as JWKS. */
  JWT_PRIVATE_KEY: secret({ min: 100 }),
  /** Access tokens are short-lived: a stolen one is useful for at most this long. 15 min. */
  ACCESS_TOKEN_TTL_SECONDS: int({ default: 900, min: 30, max: 86_400 }),
  /** A refresh token expires when unused this long (each use issues a new one). 30 days. */
  REFRESH_TOKEN_TTL_SECONDS: int({ default: 2_592_000, min: 300, max: 31_536_000 }),
  /**
   * Argon2id cost. Defaults are OWASP's first recommended set (19 MiB, 2 passes, 1 lane, about
   * 30-50 ms a hash on a server core). Tests may lower them; never lower them in production.
   */
  ARGON2_MEMORY_KIB: int({ default: 19_456, min: 1024, max: 1_048_576 }),
  ARGON2_TIME_COST: int({ default: 2, min: 1, max: 20 }),
  ARGON2_PARALLELISM: int({ default: 1, min: 1, max: 16 }),
  /**
   * Login attempts: each e-mail address and each client address gets a bucket that refills over
   * the window (5 per 15 min per address: then one every 3 min). Correct logins are refunded,
   * so only failures count against a busy NAT or a user who mistyped once.
   */
  LOGIN_ATTEMPTS_PER_EMAIL: int({ default: 5, min: 1, max: 10_000 }),
  LOGIN_ATTEMPTS_PER_CLIENT: int({ default: 50, min: 1, max: 100_000 }),
  LOGIN_WINDOW_SECONDS: int({ default: 900, min: 1, max: 86_400 }),
  /**
   * Wrong current passwords per user in updateProfile, refilling over LOGIN_WINDOW_SECONDS like
   * login attempts (right ones are refunded): a stolen access token must not allow guessing.
   */
  CURRENT_PASSWORD_ATTEMPTS_PER_USER: int({ default: 5, min: 1, max: 10_000 }),
  /** Sign-ups per client address per window (each costs an Argon2 hash and a row). */
  REGISTRATIONS_PER_CLIENT: int({ default: 20, min: 1, max: 100_000 }),
  REGISTRATION_WINDOW_SECONDS: int({ default: 3600, min: 1, max: 86_400 }),
  /** Prefix of the rate-limit keys in Redis; lets test runs share one Redis without clashing. */
  RATE_LIMIT_KEY_PREFIX: str({ default: 'rate-limit:user:', max: 100 }),
};

export type UserConfig = ReturnType<typeof loadUserConfig>;
export const loadUserConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(userSettings, env);
