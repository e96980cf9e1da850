/**
 * docker-compose.yml against the Compose Specification's JSON Schema (test/schemas), standing
 * in for `docker compose config`, which needs a Docker engine these machines do not have. It
 * catches what the other compose tests (test/compose-app.test.ts, stack/test/compose.test.ts)
 * do not look at: misspelt keys, wrong value types, malformed depends_on or healthcheck blocks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);
const schema = JSON.parse(
  readFileSync(new URL('test/schemas/compose-spec.json', root), 'utf8'),
) as object;
// The file shares settings through anchors and `<<:` merge keys (YAML 1.1), which Compose
// resolves: without `merge`, `<<` would stay a key and the schema would refuse it.
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), {
  merge: true,
}) as unknown;

// The schema names its meta-schema `https://json-schema.org/draft-07/schema`; Ajv ships draft-07
// under its historical `http://...#` id. Registered under both, the schema itself is checked too.
const draft07 = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve('ajv/dist/refs/json-schema-draft-07.json'),
    'utf8',
  ),
) as Record<string, unknown>;

function validate(document: unknown) {
  // allErrors: one run names every problem; strict off: the schema uses keywords of later
  // drafts (`deprecated`) that draft-07 validators treat as annotations.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  const check = ajv.compile(schema);
  const valid = check(document);
  return {
    valid,
    errors: (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`),
  };
}

describe('docker-compose.yml and the Compose Specification', () => {
  it('is valid against the schema', () => {
    const result = validate(compose);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the one-process override (docker-compose.one-process.yml) is valid too', () => {
    const override = parse(
      readFileSync(new URL('docker-compose.one-process.yml', root), 'utf8'),
    ) as unknown;
    expect(validate(override).errors).toEqual([]);
  });

  it('the check refuses what Compose refuses (a misspelt key, a wrong type)', () => {
    // Guards the test above against a schema or validator that accepts anything.
    const services = (compose as { services: Record<string, Record<string, unknown>> }).services;
    const broken = {
      ...(compose as object),
      services: {
        ...services,
        gateway: { ...services.gateway, dependson: ['catalog'] },
        catalog: { ...services.catalog, ports: 'not-a-list' },
      },
    };
    const result = validate(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/\/services\/gateway must NOT have additional/);
    expect(result.errors.join('\n')).toMatch(/\/services\/catalog\/ports must be array/);
  });
});
