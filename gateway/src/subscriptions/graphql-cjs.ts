import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import type * as GraphQLValues from 'graphql/execution/values.js';

const require = createRequire(import.meta.url);

/**
 * graphql-js as @apollo/gateway, @apollo/federation-internals and graphql-ws load it (CommonJS).
 * Schemas built there must be validated and executed by the same instance: a loader that
 * resolves `graphql` to its ES module build (vitest does) would otherwise fail with "Cannot use
 * GraphQLSchema from another module or realm".
 */
export const graphqlJs = require('graphql') as typeof GraphQL;
export const { getVariableValues } = require('graphql/execution/values') as typeof GraphQLValues;
