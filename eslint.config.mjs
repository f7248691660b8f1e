// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'stream',
  'url',
  'util',
  'worker_threads',
]

/** The layers of ARCHITECTURE.md, enforced: a crossing import fails `npm test`. */
const layerRules = {
  core: {
    paths: [
      {
        name: 'electron',
        message: 'src/main/core runs in plain Node: pass platform services in as parameters.',
      },
    ],
    patterns: [
      {
        group: ['vue', 'pinia', 'vue-*', '@vue/*'],
        message: 'src/main/core must not depend on the UI.',
      },
      {
        group: ['**/renderer/**', '**/preload/**', '**/shell/**', '**/host/**'],
        message: 'src/main/core must not import outer layers.',
      },
    ],
  },
  renderer: {
    paths: [
      { name: 'electron', message: 'The renderer talks only to its api object.' },
      { name: 'better-sqlite3', message: 'The renderer talks only to its api object.' },
    ],
    patterns: [
      {
        group: NODE_BUILTINS,
        message: 'The renderer runs in a sandboxed page: no Node built-ins.',
      },
      {
        group: ['**/main/**', '**/preload/**'],
        message: 'The renderer talks only to its api object, never to main or core.',
      },
    ],
  },
  shared: {
    paths: [
      { name: 'electron', message: 'src/shared is pure: both sides import it.' },
      { name: 'better-sqlite3', message: 'src/shared is pure.' },
    ],
    patterns: [
      {
        group: NODE_BUILTINS,
        message: 'src/shared is bundled into the renderer: no Node built-ins.',
      },
      {
        group: ['**/main/**', '**/renderer/**', '**/preload/**', 'vue', 'pinia'],
        message: 'src/shared depends on nothing but pure libraries.',
      },
    ],
  },
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.test-results/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    rules: {
      'vue/block-lang': ['error', { script: { lang: 'ts' } }],
      'vue/multi-word-component-names': 'off',
      'vue/no-v-html': 'error',
      // Formatting belongs to Prettier.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layerRules.core] },
  },
  {
    // A drill's scenario acts through the room's own parts, which app.ts (the composition
    // root) builds once: it may name their types, never build repositories or services.
    files: [
      'src/main/core/drill-runtime/scenario-world.ts',
      'src/main/core/drill-runtime/workspace-names.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/*-repository',
                '**/citizens',
                '**/journal/journal',
                '**/bulletins/inject',
              ],
              allowTypeImports: true,
              message: 'Take it from core.scenario: app.ts builds the room’s parts once.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', layerRules.renderer] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layerRules.shared] },
  },
  { files: ['bin/**/*.js', 'scripts/**/*.js'], languageOptions: { sourceType: 'commonjs' } },
)
