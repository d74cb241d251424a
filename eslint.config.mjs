// Lint: typescript-eslint's strict type-checked rules over the Worker, the widget, the tests and
// the scripts. Formatting is Prettier's job; `npm run lint` runs both.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.wrangler/',
      'test-results/',
      'migrations/',
      'src/embed/widget.generated.ts',
      'src/sentiment/model.generated.ts',
      '.bench-sentiment/',
      'src/worker-configuration.d.ts',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers in messages and URLs are the common, harmless case.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Tests read answers the way a client does (JSON.parse, expect matchers, queue results), and a
    // test that asserts a row exists fails on the next line anyway: `!` and untyped JSON keep them short.
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Stand-ins for bindings are async like the real ones, with nothing to wait for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', '*.{mjs,cjs}', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The fixture blog is a Worker of its own.
    files: ['test/fixtures/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // Browser tests hand functions to page.evaluate, which run in the page.
    files: ['test/browser/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
)
