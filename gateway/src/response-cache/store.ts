import { createHash } from 'node:crypto';
import type { Redis } from '@shop/redis';

/**
 * Cached answers in Redis, each listed under its purge tags. Every purge takes the next number
 * of one sequence and stamps its tags with it; a lookup reads the sequence with the entry, and
 * an answer is stored only if none of its tags was stamped after that lookup. So an answer read
 * from a subgraph before a change and stored after its purge is dropped, not served until its
 * TTL. Store and purge are Lua scripts: each runs whole, so no store slips between a purge's
 * stamp and its deletes.
 */
const STORE = `
local n = tonumber(ARGV[4])
local started = tonumber(ARGV[1])
for i = 2, n + 1 do
  local stamp = redis.call('GET', KEYS[i])
  if stamp and tonumber(stamp) > started then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[3], 'PX', ttl)
for i = n + 2, 2 * n + 1 do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`;

const PURGE = `
local seq = redis.call('INCR', KEYS[1])
local deleted = 0
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i], seq, 'PX', tonumber(ARGV[1]))
  local members = redis.call('SMEMBERS', KEYS[i + 1])
  for _, key in ipairs(members) do deleted = deleted + redis.call('DEL', key) end
  redis.call('DEL', KEYS[i + 1])
end
return deleted
`;

interface ScriptedRedis extends Redis {
  responseCacheStore(...args: (string | number)[]): Promise<number>;
  responseCachePurge(...args: (string | number)[]): Promise<number>;
}

export interface CachedAnswer {
  /** The GraphQL result as sent (data and extensions; never one with errors). */
  result: { data?: Record<string, unknown> | null };
  storedAt: number;
  maxAgeSeconds: number;
}

export interface Lookup {
  hit: CachedAnswer | undefined;
  /** The purge sequence when the lookup ran: a miss's answer is stored against it. */
  sequence: number;
}

export class ResponseCacheStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    /**
     * How long a purge stamp is kept: longer than any request between its lookup and its store.
     */
    private readonly stampTtlMs = 10 * 60_000,
  ) {
    if (!('responseCacheStore' in redis)) {
      redis.defineCommand('responseCacheStore', { lua: STORE });
      redis.defineCommand('responseCachePurge', { lua: PURGE });
    }
    this.redis = redis as ScriptedRedis;
  }

  /** The key of an answer: the document's hash, the operation and the variables. */
  static keyOf(queryHash: string, operationName: string | null, variables: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify([queryHash, operationName, variables ?? {}]))
      .digest('base64url');
  }

  async lookup(key: string): Promise<Lookup> {
    const [entry, sequence] = await this.redis.mget(this.entryKey(key), this.sequenceKey());
    return {
      hit: entry ? (JSON.parse(entry) as CachedAnswer) : undefined,
      sequence: Number(sequence ?? 0),
    };
  }

  /** Stores unless one of `tags` was purged since `sequence`; true when stored. */
  async store(
    key: string,
    answer: CachedAnswer,
    tags: Iterable<string>,
    sequence: number,
  ): Promise<boolean> {
    const list = [...tags];
    const stored = await this.redis.responseCacheStore(
      1 + 2 * list.length,
      this.entryKey(key),
      ...list.map((tag) => this.stampKey(tag)),
      ...list.map((tag) => this.tagKey(tag)),
      sequence,
      answer.maxAgeSeconds * 1000,
      JSON.stringify(answer),
      list.length,
    );
    return stored === 1;
  }

  /** Deletes every answer listed under one of `tags`; returns how many went. */
  async purge(tags: Iterable<string>): Promise<number> {
    const keys = [...new Set(tags)].flatMap((tag) => [this.stampKey(tag), this.tagKey(tag)]);
    if (keys.length === 0) return 0;
    return await this.redis.responseCachePurge(
      1 + keys.length,
      this.sequenceKey(),
      ...keys,
      this.stampTtlMs,
    );
  }

  private entryKey = (key: string) => `${this.prefix}e:${key}`;
  private tagKey = (tag: string) => `${this.prefix}t:${tag}`;
  private stampKey = (tag: string) => `${this.prefix}p:${tag}`;
  private sequenceKey = () => `${this.prefix}seq`;
}
