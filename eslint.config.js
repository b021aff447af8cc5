import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

// The walls between rooms (see DESIGN.md §1) are enforced here, not by convention, with
// no-restricted-imports on an import's text. Imports between our files are relative and name their
// extension, so a folder shows as a path segment ('../jobs/run-job.ts'). A file gets one pattern list per
// rule (a later block replaces an earlier one), so each block lists every wall its files stand behind.

/** A relative import that reaches into one of these folders, from any depth. */
const intoFolders = (folders) => `^\\.{1,2}/(.*/)?(${folders.join('|')})/`

const coreOuterRooms = [
  { group: ['electron'], message: 'core never imports electron' },
  { group: ['**/electron/**', '**/server/**', '**/cli/**', '**/src-renderer/**'], message: 'core imports no outer room' },
]

// Core's layers, bottom first, above errors.ts. A folder imports its own folder and the steps before it;
// quality and health share a step, so neither imports the other. Every import between folders points down,
// so no cycle between them can form.
const CORE_LAYERS = [['db'], ['dataset'], ['store'], ['images'], ['ml'], ['quality', 'health'], ['jobs'], ['service']]
const LAYER_ORDER = 'errors.ts ← db ← dataset ← store ← images ← ml ← (quality, health) ← jobs ← service'
// Files directly in core/ other than errors.ts (schemas.ts) sit with service.
const CORE_TOP_FILES = readdirSync(new URL('src-main/core/', import.meta.url))
  .filter((name) => name.endsWith('.ts') && name !== 'errors.ts')
  .map((name) => name.slice(0, -'.ts'.length))

// Service may import anything in core; every lower layer gets a wall against the steps from its own up.
const intoTopFiles = `^(\\.\\./)+(${CORE_TOP_FILES.join('|')})\\.ts$`
const coreLayerWalls = CORE_LAYERS.slice(0, -1).flatMap((step, i) =>
  step.map((folder) => {
    const message = `core/${folder} imports only its own folder and the layers below it: ${LAYER_ORDER}`
    const higher = CORE_LAYERS.slice(i).flat().filter((f) => f !== folder)
    const patterns = [...coreOuterRooms, { regex: intoFolders(higher), message }, { regex: intoTopFiles, message }]
    return { files: [`src-main/core/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } }
  }),
)

const rendererWalls = [{ group: ['**/src-main/**', 'electron'], message: 'the renderer talks to main only through the bridge' }]
const rendererFiles = ['src-renderer/**/*.ts', 'src-renderer/**/*.vue']
const contractFiles = ['src-preload/contract.ts', 'src-preload/contract/**/*.ts']

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', '.proto/**', '.scratch/**', 'dist/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
    // TypeScript already checks names (DOM types included); the core rule knows no types.
    rules: { 'no-undef': 'off' },
  },
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', window: 'readonly', document: 'readonly', requestAnimationFrame: 'readonly', structuredClone: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // Code is never made from strings, anywhere in the app.
  { files: ['src-*/**/*.ts', 'src-*/**/*.vue'], rules: { 'no-eval': 'error', 'no-implied-eval': 'error', 'no-new-func': 'error' } },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: coreOuterRooms }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^\\./]', message: 'import modules of the app statically, so lint sees the walls' }],
    },
  },
  ...coreLayerWalls,
  {
    files: ['src-main/core/errors.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...coreOuterRooms, { regex: '^\\./', message: `core/errors.ts is the bottom layer and imports nothing in core: ${LAYER_ORDER}` }] }] },
  },
  { files: rendererFiles, rules: { 'no-restricted-imports': ['error', { patterns: rendererWalls }] } },
  {
    files: rendererFiles,
    ignores: ['src-renderer/stores/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...rendererWalls, { regex: '^\\.{1,2}/(.*/)?bridge(\\.ts)?$', message: 'only stores call the bridge; components read stores' }] }] },
  },
  {
    files: ['src-preload/**/*.ts'],
    ignores: contractFiles,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!electron$|(\\./|(\\.\\./)+)contract\\.ts$|(\\.\\./)+src-shared/)', message: 'the preload imports only the contract, electron and src-shared' }] }],
    },
  },
  {
    files: contractFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'the contract is types only', allowTypeImports: true }] }],
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./|(\\.\\./)+src-shared/)', message: 'the contract imports only its own files and src-shared' }] }],
      'no-restricted-syntax': ['error', { selector: ':matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration, ExpressionStatement)', message: 'the contract is types only' }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'src-shared imports nothing outside itself: no node:, no packages, no other folder' }] }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'src-shared imports nothing outside itself' }],
    },
  },
)
