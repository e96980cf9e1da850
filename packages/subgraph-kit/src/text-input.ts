import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/**
 * Text no service can store: a NUL character (PostgreSQL refuses it in `text`) or a UTF-16
 * surrogate without its other half (not a character at all: it cannot be encoded as UTF-8).
 * Such input used to reach the database and come back as INTERNAL_SERVER_ERROR.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/**
 * `input.items[2].name`. Keys come from the client: one that is not a GraphQL name (so names no
 * field and may be anything) is printed as `?`.
 */
const isName = (key: string) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(key);
const printPath = (path: readonly (string | number)[]) =>
  path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${isName(part) ? part : '?'}`,
    )
    .join('');

/** Where in a variable's JSON value the first unstorable string is (`input.email`), if any. */
function findInJson(value: unknown, path: (string | number)[]): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : printPath(path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findInJson(item, [...path, i]);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = findInJson(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path (`filter.text`) of the first unstorable string in an inline literal, if any. */
function findInLiteral(value: ValueNode, path: (string | number)[]): string | undefined {
  switch (value.kind) {
    case 'StringValue':
      return isStorableText(value.value) ? undefined : printPath(path);
    case 'ListValue':
      for (const [i, item] of value.values.entries()) {
        const found = findInLiteral(item, [...path, i]);
        if (found) return found;
      }
      return undefined;
    case 'ObjectValue':
      for (const field of value.fields) {
        const found = findInLiteral(field.value, [...path, field.name.value]);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

function inArguments(owner: string, args: readonly ArgumentNode[] | undefined): string | undefined {
  for (const arg of args ?? []) {
    const found = findInLiteral(arg.value, [arg.name.value]);
    if (found) return `Argument "${arg.name.value}" of ${owner} at "${found}"`;
  }
  return undefined;
}

function inDirectives(directives: readonly DirectiveNode[] | undefined): string | undefined {
  for (const directive of directives ?? []) {
    const found = inArguments(`@${directive.name.value}`, directive.arguments);
    if (found) return found;
  }
  return undefined;
}

function inSelections(selectionSet: SelectionSetNode | undefined): string | undefined {
  for (const selection of selectionSet?.selections ?? []) {
    const found =
      inDirectives(selection.directives) ??
      (selection.kind === 'Field'
        ? (inArguments(`"${selection.name.value}"`, selection.arguments) ??
          inSelections(selection.selectionSet))
        : selection.kind === 'InlineFragment'
          ? inSelections(selection.selectionSet)
          : undefined);
    if (found) return found;
  }
  return undefined;
}

function inVariableDefaults(
  definitions: readonly VariableDefinitionNode[] | undefined,
): string | undefined {
  for (const { variable, defaultValue } of definitions ?? [])
    if (defaultValue && findInLiteral(defaultValue, [variable.name.value]))
      return `The default value of "$${variable.name.value}"`;
  return undefined;
}

/**
 * Names the first string of a request that no service could store, in the document's literals
 * (arguments, input fields, list items, variable defaults) or in the variables, without its
 * value: `Variable "$input" at "input.email"`, `Argument "filter" of "products" at
 * "filter.text"`. Undefined when every string is storable.
 */
export function findUnstorableText(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = findInJson(value, [name]);
    if (found) {
      const variable = printPath([name]);
      return `Variable "$${variable}"${found === variable ? '' : ` at "${found}"`}`;
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition' && definition.kind !== 'FragmentDefinition')
      continue;
    const found =
      inDirectives(definition.directives) ??
      inSelections(definition.selectionSet) ??
      (definition.kind === 'OperationDefinition'
        ? inVariableDefaults(definition.variableDefinitions)
        : undefined);
    if (found) return found;
  }
  return undefined;
}

export function unstorableTextError(where: string): GraphQLError {
  return new GraphQLError(
    `${where} contains a NUL character or an unpaired UTF-16 surrogate, which no text field accepts`,
    { extensions: { code: 'BAD_USER_INPUT', reason: 'UNSTORABLE_TEXT', http: { status: 400 } } },
  );
}

/**
 * Refuses, before anything runs, a request whose strings hold text no service can store:
 * BAD_USER_INPUT naming the variable or argument, never the value. Installed by the subgraph
 * bootstrap and the gateway, so every string input of every service is checked in one place.
 */
export function storableTextPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const where = findUnstorableText(document, request.variables);
          if (where) throw unstorableTextError(where);
        },
      };
    },
  };
}
