import { invalidInput } from './errors.ts';

/**
 * Input rules for accounts. Everything is checked before any hashing or query, and every string
 * has an upper bound (an unbounded password is a CPU denial of service through Argon2).
 */
export const EMAIL_MAX = 254;
export const EMAIL_LOCAL_MAX = 64;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 120;
/** Raw strings longer than this are refused before trimming or normalizing them. */
const RAW_MAX = 1024;

// Deliberately plain: ASCII local part of the usual atext characters and dots (no leading,
// trailing or double dot), a domain of dot-separated labels with a letter TLD. Quoted local
// parts and IP-literal domains are valid RFC 5321 but refused: no mail provider hands them out.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function bounded(value: string, field: string): string {
  if (value.length > RAW_MAX) throw invalidInput(field, `${field} is too long`);
  return value;
}

/** Trimmed and lower-cased: one account per mailbox however the address is typed. */
export function normalizeEmail(raw: string): string {
  return bounded(raw, 'email').trim().toLowerCase();
}

/** A normalized, well-formed e-mail address, or `invalid-input` naming the field. */
export function parseEmail(raw: string, field = 'email'): string {
  const email = normalizeEmail(raw);
  if (email === '') throw invalidInput(field, 'Email is required');
  if (email.length > EMAIL_MAX)
    throw invalidInput(field, `Email must be at most ${EMAIL_MAX} characters`);
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const valid =
    at > 0 &&
    local.length <= EMAIL_LOCAL_MAX &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    TLD.test(labels.at(-1)!);
  if (!valid) throw invalidInput(field, 'Email is not a valid address');
  return email;
}

/**
 * Passwords are compared as NFKC (NIST SP 800-63B), so the same password typed on two keyboards
 * that compose characters differently still matches. Nothing is trimmed: spaces are allowed.
 */
export function normalizePassword(raw: string, field = 'password'): string {
  return bounded(raw, field).normalize('NFKC');
}

const length = (s: string) => [...s].length;

/** A new password: 10..128 characters, and not the account's e-mail address. */
export function parseNewPassword(raw: string, email: string, field = 'password'): string {
  const password = normalizePassword(raw, field);
  const n = length(password);
  if (n < PASSWORD_MIN)
    throw invalidInput(field, `Password must be at least ${PASSWORD_MIN} characters`);
  if (n > PASSWORD_MAX)
    throw invalidInput(field, `Password must be at most ${PASSWORD_MAX} characters`);
  if (password.trim().toLowerCase() === email)
    throw invalidInput(field, 'Password must not be the email address');
  return password;
}

/**
 * A password given to sign in: only bounded (a longer one cannot be right), never judged by the
 * current policy, so accounts made under an older policy still sign in.
 */
export function parseGivenPassword(raw: string, field = 'password'): string {
  const password = normalizePassword(raw, field);
  if (password === '') throw invalidInput(field, 'Password is required');
  if (length(password) > PASSWORD_MAX)
    throw invalidInput(field, `Password must be at most ${PASSWORD_MAX} characters`);
  return password;
}

// C0/C1 controls, and the bidi overrides that make a name render as something else.
const UNPRINTABLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A display name: trimmed, 1..120 characters, no control characters. */
export function parseName(raw: string, field = 'name'): string {
  const name = bounded(raw, field).normalize('NFC').trim();
  if (name === '') throw invalidInput(field, 'Name is required');
  if (length(name) > NAME_MAX)
    throw invalidInput(field, `Name must be at most ${NAME_MAX} characters`);
  if (UNPRINTABLE.test(name)) throw invalidInput(field, 'Name must not contain control characters');
  return name;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
}

export function parseRegistration(input: Registration): Registration {
  const email = parseEmail(input.email);
  return {
    email,
    password: parseNewPassword(input.password, email),
    name: parseName(input.name),
  };
}

/** A login's e-mail: normalized and bounded, but not judged (an odd one simply matches nobody). */
export function parseLoginEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (email === '') throw invalidInput('email', 'Email is required');
  if (email.length > EMAIL_MAX)
    throw invalidInput('email', `Email must be at most ${EMAIL_MAX} characters`);
  return email;
}

export interface ProfileChangeInput {
  name?: string | null;
  email?: string | null;
  newPassword?: string | null;
  currentPassword?: string | null;
}

export interface ProfileChange {
  name?: string;
  email?: string;
  newPassword?: string;
  /** Required (and checked by the use case) when the e-mail or the password changes. */
  currentPassword?: string;
}

/**
 * Validates a profile update against the account's current e-mail. Changing the e-mail (where
 * password resets would go) or the password needs the current password: a stolen access token
 * alone must not be enough to take the account over.
 */
export function parseProfileChange(input: ProfileChangeInput, currentEmail: string): ProfileChange {
  const change: ProfileChange = {};
  if (input.name != null) change.name = parseName(input.name);
  if (input.email != null) change.email = parseEmail(input.email);
  if (input.newPassword != null)
    change.newPassword = parseNewPassword(
      input.newPassword,
      change.email ?? currentEmail,
      'newPassword',
    );
  if (input.currentPassword != null)
    change.currentPassword = parseGivenPassword(input.currentPassword, 'currentPassword');
  if (change.name === undefined && change.email === undefined && change.newPassword === undefined)
    throw invalidInput('input', 'Give at least one of name, email or newPassword');
  if (change.email === currentEmail) delete change.email;
  if (
    (change.email !== undefined || change.newPassword !== undefined) &&
    change.currentPassword === undefined
  )
    throw invalidInput(
      'currentPassword',
      'currentPassword is required to change the email or password',
    );
  if (change.newPassword !== undefined && change.newPassword === change.currentPassword)
    throw invalidInput('newPassword', 'The new password must differ from the current one');
  return change;
}
