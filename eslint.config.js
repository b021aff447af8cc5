import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

// The walls between rooms (see DESIGN.md §1) are enforced here, not by convention.
const noElectronOrOuterRooms = {
  patterns: [
    { group: ['electron'], message: 'core never imports electron' },
    { group: ['**/electron/**', '**/server/**', '**/cli/**', '**/src-renderer/**'], message: 'core imports no outer room' },
  ],
}

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
  { files: ['src-main/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', noElectronOrOuterRooms] } },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/src-main/**', 'electron'], message: 'the renderer talks to main only through the bridge' }] }] },
  },
  {
    files: ['src-preload/contract.ts', 'src-preload/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'the contract is types only', allowTypeImports: true }] }],
      'no-restricted-syntax': ['error', { selector: ':matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration)', message: 'the contract is types only' }],
    },
  },
)
