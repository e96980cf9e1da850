export * from './identity.ts';
export * from './internal-identity-header.ts';
