import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no
// I/O libraries, and nothing from the rest of the app at run time (types are
// fine: they vanish at build). src/shared/ is what it may import besides the SDK.
const workflowSafe = (relativeAllowed, message) => ({
  'import-x/no-nodejs-modules': 'error',
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(?!@temporalio/(workflow|common)$)(?!\\.)',
          allowTypeImports: true,
          message: 'workflow-safe code imports only @temporalio/workflow, @temporalio/common and src/shared (types from anywhere)',
        },
        { regex: relativeAllowed, allowTypeImports: true, message },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'dist/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A cycle makes the next engineer read two modules to understand one;
      // type-only imports count too (they hide the same tangle).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: workflowSafe('^\\.\\./(?!shared/)', 'workflow code imports at run time only from src/workflows and src/shared'),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: workflowSafe('^\\.\\./', 'src/shared imports at run time only from src/shared'),
  },
  {
    // One owner per fact: src/runtime/config.ts is the one reader of the
    // environment, so every variable has one typed, checked entry and one
    // default (and the README table is tested against it). Everything else
    // receives config values as arguments. bench/, scripts/ and test/ are
    // tools with their own variables.
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read the environment through src/runtime/config.ts (add an entry to SETTINGS)' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:process', 'process'].map((name) => ({
            name,
            importNames: ['env'],
            message: 'read the environment through src/runtime/config.ts (add an entry to SETTINGS)',
          })),
        },
      ],
    },
  },
  {
    // Tests read JSON bodies of every shape; typing each would add noise, not safety.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  prettier,
);
