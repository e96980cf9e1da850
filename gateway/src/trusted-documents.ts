import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HTTPGraphQLRequest } from '@apollo/server';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { GraphQLError, Kind, parse, print, type DocumentNode } from 'graphql';
import type { Identity } from '@shop/auth';

/** One operation of an Apollo persisted query manifest (@apollo/generate-persisted-query-manifest). */
interface ManifestOperation {
  id: string;
  body: string;
  name?: string;
  type?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One text per document, whatever its layout and the order of its definitions: the manifest
 * sorts a document's fragments after its operation, Apollo Client sends them in the order it
 * met them and prints its own way. Operations first, then fragments, each group by name.
 */
export function canonicalText(document: DocumentNode): string {
  const rank = (d: DocumentNode['definitions'][number]) =>
    d.kind === Kind.OPERATION_DEFINITION ? 0 : 1;
  const name = (d: DocumentNode['definitions'][number]) =>
    'name' in d && d.name ? d.name.value : '';
  const definitions = [...document.definitions].sort(
    (a, b) => rank(a) - rank(b) || name(a).localeCompare(name(b)),
  );
  return print({ ...document, definitions });
}

/** Canonical hashes of texts already seen, so a client's document is parsed once, not per request. */
const CANONICAL_CACHE_SIZE = 2000;

/**
 * The operations a production gateway runs for anyone: the storefront's, extracted at build time
 * into an Apollo persisted query manifest (`npm run generate` writes
 * storefront/trusted-documents.json). A document is known by the SHA-256 of its exact text, the
 * hash Apollo Server computes for every request and clients send in `persistedQuery`.
 */
export class TrustedDocuments {
  /** Canonical hashes of the trusted documents. */
  private readonly canonical = new Set<string>();
  /** Text hash → whether its canonical form is trusted (bounded, oldest out first). */
  private readonly seen = new Map<string, boolean>();

  private constructor(private readonly bodies: ReadonlyMap<string, string>) {
    for (const body of bodies.values()) this.canonical.add(sha256(canonicalText(parse(body))));
  }

  /** Reads a manifest; fails naming the file when it is missing or not a manifest. */
  static load(file: string): TrustedDocuments {
    let parsed: { format?: unknown; version?: unknown; operations?: unknown };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
    } catch (error) {
      throw new Error(`cannot read the trusted documents at ${file}: ${(error as Error).message}`);
    }
    if (parsed.format !== 'apollo-persisted-query-manifest' || !Array.isArray(parsed.operations))
      throw new Error(`${file} is not an Apollo persisted query manifest`);
    return TrustedDocuments.of(parsed.operations as ManifestOperation[], file);
  }

  static of(operations: readonly ManifestOperation[], source = 'manifest'): TrustedDocuments {
    const bodies = new Map<string, string>();
    for (const op of operations) {
      if (typeof op.body !== 'string' || typeof op.id !== 'string')
        throw new Error(`${source}: an operation without id or body`);
      // The id is what clients send; it must be the hash Apollo Server computes of the body.
      if (op.id !== sha256(op.body))
        throw new Error(
          `${source}: operation ${op.name ?? op.id} has an id that is not its SHA-256`,
        );
      bodies.set(op.id, op.body);
    }
    return new TrustedDocuments(bodies);
  }

  get size(): number {
    return this.bodies.size;
  }

  bodyOf(hash: string): string | undefined {
    return this.bodies.get(hash);
  }

  /**
   * Whether `query` may run for `identity`: a trusted document (by the hash of its text, or laid
   * out another way), or any document for an admin or a trusted client (TRUSTED_CLIENT_HEADER). `hash`
   * is the SHA-256 of `text` when given.
   */
  allows(
    query: { hash?: string; text?: string },
    identity: Identity | null,
    trustedClient = false,
  ): boolean {
    if (identity?.role === 'ADMIN' || trustedClient) return true;
    const hash = query.hash ?? (query.text === undefined ? undefined : sha256(query.text));
    if (hash === undefined) return false;
    if (this.bodies.has(hash)) return true;
    if (query.text === undefined) return false;
    let trusted = this.seen.get(hash);
    if (trusted === undefined) {
      try {
        trusted = this.canonical.has(sha256(canonicalText(parse(query.text))));
      } catch {
        trusted = false; // does not parse: no trusted document
      }
      if (this.seen.size >= CANONICAL_CACHE_SIZE) this.seen.delete(this.seen.keys().next().value!);
      this.seen.set(hash, trusted);
    }
    return trusted;
  }
}

/**
 * The header a trusted client sends its token in (one of TRUSTED_CLIENT_TOKENS): clients of a
 * production gateway that may run any operation, and so register and use automatic persisted
 * queries of their own (an internal tool, a partner's backend). An operation a trusted client
 * registered runs by its hash for trusted clients and admins only.
 */
export const TRUSTED_CLIENT_HEADER = 'x-trusted-client';

export function untrustedOperation(): GraphQLError {
  return new GraphQLError(
    'This gateway runs only the operations of its trusted documents (the storefront build); send one of them, or sign in as an admin to explore',
    { extensions: { code: 'FORBIDDEN', reason: 'OPERATION_NOT_TRUSTED', http: { status: 403 } } },
  );
}

/**
 * The document a GraphQL-over-HTTP request asks for, as far as the request says: its text (POST
 * body or GET `query`), or only the hash of a persisted one. A text is hashed here, never taken
 * on the client's word.
 */
export function requestedDocument(request: HTTPGraphQLRequest): { hash?: string; text?: string } {
  const params =
    request.method === 'GET' ? Object.fromEntries(new URLSearchParams(request.search)) : undefined;
  const body = (params ?? request.body) as
    { query?: unknown; extensions?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null) return {};
  if (typeof body.query === 'string') return { text: body.query };
  let extensions = body.extensions;
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions) as unknown;
    } catch {
      return {};
    }
  }
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)
    ?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? { hash } : {};
}

/**
 * The persisted query cache of a production gateway: a request that sends only the hash of a
 * trusted document (Apollo Client's persisted query link) is answered from the manifest; other
 * hashes (an admin's registered operations) from the shared cache behind it.
 */
export class TrustedDocumentsCache implements KeyValueCache<string> {
  constructor(
    private readonly documents: TrustedDocuments,
    private readonly registered: KeyValueCache<string>,
    /** Apollo Server prefixes the hash with `apq:` on its way to this cache. */
    private readonly prefix = 'apq:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    const trusted = key.startsWith(this.prefix)
      ? this.documents.bodyOf(key.slice(this.prefix.length))
      : undefined;
    return trusted ?? this.registered.get(key);
  }

  set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    return this.registered.set(key, value, options);
  }

  delete(key: string): Promise<boolean | void> {
    return this.registered.delete(key);
  }
}
