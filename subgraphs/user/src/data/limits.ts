import { RateLimiter } from '@shop/rate-limit';
import type { Redis } from '@shop/redis';
import { DomainError } from '@shop/subgraph-kit';
import type { UserConfig } from '../config.ts';
import type { AttemptLimits } from '../domain/ports.ts';

const limited = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many attempts; try again in ${retryAfterSeconds} s`, {
    retryAfter: retryAfterSeconds,
  });

/**
 * Login, current-password and sign-up limits in Redis. Login: one bucket per e-mail address
 * (slows guessing one account's password from many machines) and one per client address (slows
 * one machine trying many accounts). The current password a signed-in user gives to change the
 * e-mail address or the password: one bucket per user, in the login window. A request without a known client address (no gateway header) is limited per
 * e-mail only, never lumped into one shared bucket that a single attacker could drain for all.
 */
export class RedisAttemptLimits implements AttemptLimits {
  private readonly perEmail: RateLimiter;
  private readonly perClient: RateLimiter;
  private readonly registrations: RateLimiter;
  private readonly currentPassword: RateLimiter;

  constructor(redis: Redis, config: UserConfig) {
    const keyPrefix = config.RATE_LIMIT_KEY_PREFIX;
    const window = config.LOGIN_WINDOW_SECONDS;
    this.perEmail = new RateLimiter(redis, {
      name: 'login-email',
      limit: config.LOGIN_ATTEMPTS_PER_EMAIL,
      periodSeconds: window,
      keyPrefix,
    });
    this.perClient = new RateLimiter(redis, {
      name: 'login-client',
      limit: config.LOGIN_ATTEMPTS_PER_CLIENT,
      periodSeconds: window,
      keyPrefix,
    });
    this.currentPassword = new RateLimiter(redis, {
      name: 'current-password-user',
      limit: config.CURRENT_PASSWORD_ATTEMPTS_PER_USER,
      periodSeconds: window,
      keyPrefix,
    });
    this.registrations = new RateLimiter(redis, {
      name: 'register-client',
      limit: config.REGISTRATIONS_PER_CLIENT,
      periodSeconds: config.REGISTRATION_WINDOW_SECONDS,
      keyPrefix,
    });
  }

  async login(email: string, clientAddress: string | null) {
    if (clientAddress) {
      const client = await this.perClient.consume(clientAddress);
      if (!client.allowed) throw limited(client.retryAfterSeconds);
    }
    const account = await this.perEmail.consume(email);
    if (!account.allowed) throw limited(account.retryAfterSeconds);
    return {
      succeeded: async () => {
        await Promise.all([
          this.perEmail.refund(email),
          clientAddress ? this.perClient.refund(clientAddress) : undefined,
        ]);
      },
    };
  }

  async currentPasswordCheck(userId: string) {
    const result = await this.currentPassword.consume(userId);
    if (!result.allowed) throw limited(result.retryAfterSeconds);
    return { succeeded: () => this.currentPassword.refund(userId) };
  }

  async registration(clientAddress: string | null): Promise<void> {
    if (!clientAddress) return;
    const result = await this.registrations.consume(clientAddress);
    if (!result.allowed) throw limited(result.retryAfterSeconds);
  }
}
