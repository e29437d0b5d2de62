import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Forbids files matching `files` to import the `forbidden` folders of src/ (static imports; `import()` is how l10n loads languages). */
const layer = (files, forbidden, message) => ({
  files: [files],
  rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`^(\.\./)+(${forbidden.join('|')})(/|$)`, message }] }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'relay/dist/', 'node_modules/', 'coverage/', 'custom-elements.json', '**/.next/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  lit.configs['flat/recommended'],
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Layers (see src/): adapters → core → components, with l10n beside them for the elements.
  // Each layer imports only the ones below it; the cycle check (scripts/check-cycles.mjs) does the rest.
  layer('src/adapters/**', ['core', 'components', 'l10n', 'translations'], 'Adapters are the bottom layer: they import nothing from the core, the elements or the strings. Put what both need in src/adapters/.'),
  layer('src/core/**', ['components', 'l10n', 'translations'], 'The core is plain state under the elements: it imports adapters only, and leaves wording to the elements.'),
  layer('src/l10n/**', ['adapters', 'core', 'components', 'translations'], 'Localisation imports no other layer; shipped languages load lazily with import().'),
  layer('src/components/**', ['translations'], 'Elements take their strings from src/l10n/, which loads the languages lazily.'),
  {
    files: ['src/translations/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`^\.(?!\./l10n/types\.js$)`, message: 'A translation imports only the Translation type (../l10n/types.js), so the loader and the languages do not import each other.' }] }],
    },
  },
  {
    // Chai assertions such as `expect(x).to.exist` are property reads.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['scripts/**', '*.mjs', 'demo/**', 'relay/**', 'test/node/**', 'test/pages/**', 'examples/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['examples/**/*.jsx'],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
  },
);
