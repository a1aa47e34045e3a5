// CI's linter (`npm run lint`, run by .ci/run before the tests): a small set of rules that catch real
// bugs — promises nobody awaits, unused code, focused/skipped tests — plus the widget's byte budget rule.
import tseslint from 'typescript-eslint';

const zodForWidget = 'The widget bundle must not carry zod: import its types only (`import type`) and check answers with the guards in contract/schemas.ts.';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'tests/.tmp/**', '**/*.min.js', 'widget/snippet/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-debugger': 'error',
      'no-restricted-properties': ['error', { object: 'it', property: 'only' }, { object: 'describe', property: 'only' }, { object: 'it', property: 'skip' }, { object: 'describe', property: 'skip' }, { object: 'test', property: 'only' }, { object: 'test', property: 'skip' }],
    },
  },
  {
    // the widget imports zod and the zod half of the contract as types only, so its bundle does not grow
    files: ['widget/**/*.{ts,tsx}'],
    ignores: ['widget/src/contract/zod/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'zod', message: zodForWidget, allowTypeImports: true }, { name: 'zod/mini', message: zodForWidget, allowTypeImports: true },
          // ~1 KB gzip for four hooks: the window's two stateful screens are class components instead
          { name: 'preact/hooks', message: 'The window ships without preact/hooks (~1 KB gzip): write a class component (see app/screens/Chat.tsx).' }],
        patterns: [{ group: ['**/contract/zod/*', './zod/*', 'zod/*'], message: zodForWidget, allowTypeImports: true }],
      }],
    },
  },
);
