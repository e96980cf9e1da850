/**
 * Writes the storefront's trusted documents: every operation of the .graphql files under app/ (as GraphQL
 * Codegen compiled them into app/graphql/generated.ts, each with the fragments it uses), in the
 * text Apollo Client sends, as an Apollo persisted query manifest. A production gateway runs
 * only these (GATEWAY_MODE=production, TRUSTED_DOCUMENTS_FILE). Run by `npm run generate`.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import * as generated from '../app/graphql/generated.ts';
import { operationText } from '../app/graphql/operation-text.ts';

const output = new URL('../trusted-documents.json', import.meta.url);

const operations = Object.values(generated as Record<string, unknown>)
  .filter((value): value is DocumentNode => (value as DocumentNode | null)?.kind === Kind.DOCUMENT)
  .flatMap((document) => {
    // Fragments are exported on their own too; they are sent only inside operations.
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) return [];
    const body = operationText(document);
    return [
      {
        id: createHash('sha256').update(body).digest('hex'),
        name: operation.name?.value ?? null,
        type: operation.operation,
        body,
      },
    ];
  })
  .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));

writeFileSync(
  output,
  JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2) +
    '\n',
);
console.log(`trusted documents: ${operations.length} operations in ${output.pathname}`);
