/*
 * @elastic/elasticsearch 7.13.0 declares its types only next to index.js, and its
 * package.json "exports" has no "types" condition, so TypeScript's NodeNext
 * resolution finds index.mjs and no types (TS7016). Point the bare import at the
 * real declarations; the runtime import is unchanged.
 */
declare module '@elastic/elasticsearch' {
  export * from '@elastic/elasticsearch/index.js';
}
