import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  parseEmail,
  parseGivenPassword,
  parseLoginEmail,
  parseName,
  parseNewPassword,
  parseProfileChange,
  parseRegistration,
} from '../src/domain/validation.ts';

/** The field an input error names, or the value when the input was accepted. */
function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).details.field as string;
  }
}

describe('email', () => {
  it('is trimmed and lower-cased', () => {
    expect(parseEmail('  Angler.Joe+Rods@Tackle.SHOP ')).toBe('angler.joe+rods@tackle.shop');
  });

  it.each([
    '',
    '   ',
    'no-at-sign',
    '@tackle.shop',
    'joe@',
    'joe@localhost',
    'joe@tackle.s',
    'jo e@tackle.shop',
    'joe..x@tackle.shop',
    '.joe@tackle.shop',
    'joe@-tackle.shop',
    'joe@tackle..shop',
    'jöe@tackle.shop',
    'joe@tack le.shop',
    'joe\u0000@tackle.shop',
    'joe@@tackle.shop',
    `${'a'.repeat(65)}@tackle.shop`,
    `joe@${'a'.repeat(250)}.shop`,
    `${'x'.repeat(5000)}@tackle.shop`,
  ])('refuses %j', (raw) => {
    expect(fieldOf(() => parseEmail(raw))).toBe('email');
  });

  it('accepts the longest allowed address and punycode domains', () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.shop`;
    expect(longest).toHaveLength(254);
    expect(parseEmail(longest)).toBe(longest);
    expect(parseEmail('joe@xn--tckle-gra.xn--p1ai')).toBe('joe@xn--tckle-gra.xn--p1ai');
  });

  it('for login is only normalized and bounded', () => {
    expect(parseLoginEmail(' Odd@Host ')).toBe('odd@host');
    expect(fieldOf(() => parseLoginEmail(' '))).toBe('email');
    expect(fieldOf(() => parseLoginEmail(`${'a'.repeat(255)}`))).toBe('email');
  });
});

describe('password', () => {
  it('must be 10..128 characters, counted as characters not bytes', () => {
    expect(fieldOf(() => parseNewPassword('short-pw1', 'a@b.shop'))).toBe('password');
    expect(parseNewPassword('0123456789', 'a@b.shop')).toBe('0123456789');
    expect(parseNewPassword('🎣'.repeat(128), 'a@b.shop')).toHaveLength(256);
    expect(fieldOf(() => parseNewPassword('x'.repeat(129), 'a@b.shop'))).toBe('password');
    expect(fieldOf(() => parseNewPassword('x'.repeat(100_000), 'a@b.shop'))).toBe('password');
  });

  it('must not be the e-mail address, in any case or with spaces around', () => {
    expect(fieldOf(() => parseNewPassword(' Angler@Tackle.shop ', 'angler@tackle.shop'))).toBe(
      'password',
    );
  });

  it('is compared in NFKC, so composed and decomposed forms match', () => {
    expect(parseGivenPassword('cafe\u0301-rod-12')).toBe(parseGivenPassword('caf\u00e9-rod-12'));
  });

  it('given at login is only bounded, not judged by the current policy', () => {
    expect(parseGivenPassword('short')).toBe('short');
    expect(fieldOf(() => parseGivenPassword(''))).toBe('password');
    expect(fieldOf(() => parseGivenPassword('x'.repeat(129)))).toBe('password');
  });
});

describe('name', () => {
  it('is trimmed, 1..120 characters, printable', () => {
    expect(parseName('  Joe Angler ')).toBe('Joe Angler');
    expect(parseName('é'.repeat(120))).toHaveLength(120);
    expect(fieldOf(() => parseName('   '))).toBe('name');
    expect(fieldOf(() => parseName('x'.repeat(121)))).toBe('name');
    expect(fieldOf(() => parseName('Joe\u0000'))).toBe('name');
    expect(fieldOf(() => parseName('Joe\u202Eevil'))).toBe('name');
  });
});

describe('registration', () => {
  it('returns the normalized fields', () => {
    expect(
      parseRegistration({ email: ' A@Tackle.Shop', password: 'good-password', name: ' Al ' }),
    ).toEqual({ email: 'a@tackle.shop', password: 'good-password', name: 'Al' });
  });
});

describe('profile change', () => {
  const current = 'me@tackle.shop';

  it('needs at least one change', () => {
    expect(fieldOf(() => parseProfileChange({}, current))).toBe('input');
    expect(fieldOf(() => parseProfileChange({ currentPassword: 'whatever-1' }, current))).toBe(
      'input',
    );
  });

  it('changes the name alone without a password', () => {
    expect(parseProfileChange({ name: ' New ' }, current)).toEqual({ name: 'New' });
  });

  it('needs the current password for a new e-mail or password', () => {
    expect(fieldOf(() => parseProfileChange({ email: 'new@tackle.shop' }, current))).toBe(
      'currentPassword',
    );
    expect(fieldOf(() => parseProfileChange({ newPassword: 'brand-new-pw' }, current))).toBe(
      'currentPassword',
    );
  });

  it('ignores an e-mail equal to the current one', () => {
    expect(parseProfileChange({ name: 'N', email: ' ME@tackle.shop' }, current)).toEqual({
      name: 'N',
    });
  });

  it('checks the new password against the new e-mail and the current password', () => {
    expect(
      fieldOf(() =>
        parseProfileChange(
          {
            email: 'new@tackle.shop',
            newPassword: 'new@tackle.shop',
            currentPassword: 'old-pw-123',
          },
          current,
        ),
      ),
    ).toBe('newPassword');
    expect(
      fieldOf(() =>
        parseProfileChange({ newPassword: 'same-pw-123', currentPassword: 'same-pw-123' }, current),
      ),
    ).toBe('newPassword');
  });
});
