import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.stack/**',
      '**/generated/**',
      '**/dist/**',
      'bench/results/**',
      'storefront/build/**',
      'storefront/.react-router/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Tests read loosely-typed GraphQL responses; `any` there keeps them readable.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  {
    // Every workspace declares in its own package.json each package it imports (workspace
    // packages included): a production install (`npm ci --omit=dev`) installs only those, and
    // an import that works only because npm hoisted another workspace's dependency breaks there.
    plugins: { 'import-x': importX },
    settings: {
      // Resolves like Node and TypeScript: package `exports` (the workspace packages export
      // their .ts sources), .ts files, type-only packages.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.d.ts', '.mjs', '.js', '.cjs', '.json', '.node'],
          conditionNames: ['types', 'import', 'require', 'node', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          // Application and package code (src/, the storefront's app/ and server/) takes
          // `dependencies` only; tests, scripts, benchmarks and config files may take
          // devDependencies. Type-only imports count too: the package must be declared.
          devDependencies: [
            '**/test/**',
            '**/e2e/**',
            '**/scripts/**',
            '**/*.config.{ts,js,mjs}',
            // React Router reads the route table when it builds; the server runs the result.
            'storefront/app/routes.ts',
          ],
          includeTypes: true,
          includeInternal: true,
        },
      ],
      // The check above passes over an import it cannot resolve; this makes sure there is none.
      'import-x/no-unresolved': 'error',
    },
  },
);
