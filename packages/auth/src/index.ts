export * from './identity.ts';
export * from './internal-identity-header.ts';
export * from './access-token.ts';
export * from './session-revocation.ts';
