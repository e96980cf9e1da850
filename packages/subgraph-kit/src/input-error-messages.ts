/**
 * graphql-js puts the submitted value into its input coercion messages (`Variable "$input" got
 * invalid value { email: "...", password: "hunter2" }; ...`, `String cannot represent a non
 * string value: ...`, `Expected value of type "Int", found "..."`), so a password sent with a
 * wrong type would come back in the answer, and on to logs and error trackers. This rewrites
 * every such message to name the variable, path, argument and type and the reason only.
 *
 * Output is built only from what matches the strict grammars below (GraphQL names, type
 * references, paths of names and indexes), never from the text around them, so no value can
 * pass through, even one crafted to look like part of a message. Messages of other shapes are
 * returned unchanged (this project's own messages never carry values).
 */

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** A type reference as graphql-js prints it: `Int`, `[ID!]!`. */
const TYPE = '\\[*[_A-Za-z][_0-9A-Za-z]*!?(?:\\]!?)*';
/** A printed input path: `input.items[2].name`. */
const PATH = `${NAME}(?:\\.${NAME}|\\[\\d+\\])*`;
const isName = (text: string) => new RegExp(`^${NAME}$`).test(text);

/** A coercion reason: how graphql-js starts it, and the value-free sentence it becomes. */
interface Reason {
  pattern: RegExp;
  rewrite: (match: RegExpExecArray) => string;
}

const reasons: Reason[] = [
  {
    pattern: new RegExp(`^Expected non-nullable type "(${TYPE})" not to be null\\.`),
    rewrite: (m) => `expected a non-null value of type "${m[1]}"`,
  },
  {
    pattern: new RegExp(`^Expected type "(${NAME})" to be an object\\.`),
    rewrite: (m) => `expected an input object of type "${m[1]}"`,
  },
  {
    pattern: new RegExp(`^Field "(${PATH})" of required type "(${TYPE})" was not provided\\.`),
    rewrite: (m) => `field "${m[1]}" of required type "${m[2]}" was not provided`,
  },
  {
    // The field name is the client's own key: named only when it is a GraphQL name.
    pattern: new RegExp(`^Field "([\\s\\S]*?)" is not defined by type "(${NAME})"\\.`),
    rewrite: (m) =>
      `${isName(m[1]!) ? `field "${m[1]}"` : 'a field'} is not defined by type "${m[2]}"`,
  },
  {
    pattern: new RegExp(`^Exactly one key must be specified for OneOf type "(${NAME})"\\.`),
    rewrite: (m) => `exactly one field must be given for the OneOf type "${m[1]}"`,
  },
  {
    pattern: new RegExp(`^Field "(${NAME})" must be non-null\\.`),
    rewrite: (m) => `field "${m[1]}" must not be null`,
  },
  {
    pattern: /^Int cannot represent non 32-bit signed integer value/,
    rewrite: () => 'Int cannot represent a value outside the 32-bit signed range',
  },
  {
    pattern: /^Int cannot represent non-integer value/,
    rewrite: () => 'Int cannot represent a value that is not a whole number',
  },
  {
    pattern: /^Float cannot represent non numeric value/,
    rewrite: () => 'Float cannot represent a value that is not a number',
  },
  {
    pattern: /^String cannot represent a non string value/,
    rewrite: () => 'String cannot represent a value that is not a string',
  },
  {
    pattern: /^Boolean cannot represent a non boolean value/,
    rewrite: () => 'Boolean cannot represent a value that is not true or false',
  },
  {
    pattern: /^ID cannot represent (?:value|a non-string and non-integer value)/,
    rewrite: () => 'ID cannot represent a value that is not a string or a whole number',
  },
  {
    pattern: new RegExp(`^Enum "(${NAME})" cannot represent non-(?:string|enum) value`),
    rewrite: (m) => `the value is not one of the enum "${m[1]}"`,
  },
  {
    pattern: new RegExp(`^Value "[\\s\\S]*" does not exist in "(${NAME})" enum\\.`),
    rewrite: (m) => `the value is not one of the enum "${m[1]}"`,
  },
  {
    // A custom scalar's parseValue refusing (with its own message, which may hold the value).
    pattern: new RegExp(`^Expected type "(${NAME})"\\.`),
    rewrite: (m) => `expected a value of type "${m[1]}"`,
  },
];

function reasonOf(text: string): string | undefined {
  for (const { pattern, rewrite } of reasons) {
    const match = pattern.exec(text);
    if (match) return rewrite(match);
  }
  return undefined;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The first `; <reason>` after a value (and its optional ` at "path"`) that reads as a reason. */
function afterValue(rest: string): { path?: string; reason: string } | undefined {
  const split = new RegExp(`(?: at "(${PATH})")?; `, 'g');
  for (let m = split.exec(rest); m; m = split.exec(rest)) {
    const reason = reasonOf(rest.slice(m.index + m[0].length));
    if (reason) return { ...(m[1] ? { path: m[1] } : {}), reason };
  }
  return undefined;
}

/** Message shapes that carry a value, each rewritten without it. */
const shapes: { pattern: RegExp; rewrite: (match: RegExpExecArray) => string }[] = [
  {
    // Variables: `Variable "$v" got invalid value <value>[ at "v.path"]; <reason>`.
    pattern: new RegExp(`^Variable "\\$(${NAME})" got invalid value ([\\s\\S]*)$`),
    rewrite: (m) => {
      const found = afterValue(m[2]!);
      const where = found?.path ? ` at "${found.path}"` : '';
      return `Variable "$${m[1]}" got an invalid value${where}: ${found?.reason ?? 'it does not fit the variable type'}.`;
    },
  },
  {
    // coerceInputValue's own wording: `Invalid value <value>[ at "value.path"]: <reason>`.
    // (Not the rewritten `Invalid value at "...": ...` or `Invalid value.`: rewriting is idempotent.)
    pattern: /^Invalid value (?!at "|\.$)([\s\S]*)$/,
    rewrite: (m) => {
      const split = new RegExp(`(?: at "(${PATH})")?: `, 'g');
      for (let s = split.exec(m[1]!); s; s = split.exec(m[1]!)) {
        const reason = reasonOf(m[1]!.slice(s.index + s[0].length));
        if (reason) return `Invalid value${s[1] ? ` at "${s[1]}"` : ''}: ${reason}.`;
      }
      return 'Invalid value.';
    },
  },
  {
    // Inline literals: `Expected value of type "T", found <literal>.` (or `; <scalar's reason>`).
    pattern: new RegExp(`^Expected value of type "(${TYPE})", found `),
    rewrite: (m) => `Expected a value of type "${m[1]}"; the value given is not one.`,
  },
  {
    pattern: new RegExp(`^Argument "(${NAME})" has invalid value `),
    rewrite: (m) => `Argument "${m[1]}" has an invalid value.`,
  },
];

export function withoutInputValues(message: string): string {
  for (const { pattern, rewrite } of shapes) {
    const match = pattern.exec(message);
    if (match) return rewrite(match);
  }
  // A scalar or enum refusing an inline literal reports its reason alone.
  const reason = reasonOf(message);
  return reason ? `${capitalized(reason)}.` : message;
}
