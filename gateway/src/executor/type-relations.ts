import type { GraphQLSchema } from 'graphql';
import { graphqlJs } from '../subscriptions/graphql-cjs.ts';

const { isAbstractType, isCompositeType, isInterfaceType, isObjectType } = graphqlJs;

/**
 * Type questions the executor asks for every object it touches (does this `__typename` satisfy
 * that fragment's condition?), answered once per pair of names and then from a map.
 */
export class TypeRelations {
  private readonly answers = new Map<string, boolean>();

  constructor(readonly schema: GraphQLSchema) {}

  /** Whether an object whose `__typename` is `typename` matches a fragment `... on condition`. */
  satisfies(typename: string, condition: string): boolean {
    if (typename === condition) return true;
    const key = `${condition}\0${typename}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      const type = this.schema.getType(typename);
      const abstract = this.schema.getType(condition);
      answer =
        !!type &&
        !!abstract &&
        isAbstractType(abstract) &&
        (isObjectType(type) || isInterfaceType(type)) &&
        this.schema.isSubType(abstract, type);
      this.answers.set(key, answer);
    }
    return answer;
  }

  isObject(typename: string): boolean {
    return isObjectType(this.schema.getType(typename));
  }

  isComposite(typename: string): boolean {
    return isCompositeType(this.schema.getType(typename));
  }
}
