// ESLint with typescript-eslint's recommended rules, run by `npm test` (through `npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'dist-test/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_next` (Express tells an error handler by its four parameters) and `{ http: _http, ...rest }` (leaving a key out) are meant.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The dependency-cruiser configuration is a CommonJS file.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // The pages (web/, bundled by Vite) run in the browser; their Vite config runs in Node.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['web/vite.config.mts', 'web/readme-examples.mts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests read GraphQL responses, which are untyped JSON: `any` there is what the data is.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
