export const ROLES = ['CUSTOMER', 'SELLER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as verified by the gateway from the access token. */
export interface Identity {
  userId: string;
  role: Role;
  /**
   * The sign-in session (refresh-token family) the access token belongs to. Present for callers
   * that signed in; absent for identities made by services (tests, internal calls).
   */
  sessionId?: string;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
