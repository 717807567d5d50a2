import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { fencesPlugin } from './build/eslint-fences.js';

// Architecture fences: TensorFlow.js only in ml/ and worker/; the UI reaches ML through the
// worker client (app/engine.ts), never by importing ml/ runtime code.
const TF_ONLY_IN_ML = {
  group: ['@tensorflow/*', '@tensorflow-models/*'],
  message: 'TensorFlow.js lives in src/ml and src/worker only; the UI talks to it through worker/ml-client.',
};

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'public', 'test-results', 'test-results-*', 'playwright-report', 'bench/out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ml/**', 'src/worker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TF_ONLY_IN_ML] }] },
  },
  {
    files: ['src/ml/**/*.ts'],
    ignores: ['src/ml/**/*.test.ts', 'src/ml/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['react', 'react-dom', 'zustand', '**/store/*', '**/features/*', '**/ui/*'], message: 'ml/ is pure TypeScript + tfjs: no React, no stores.' }] },
      ],
    },
  },
  { files: ['src/**/*.{ts,tsx}'], plugins: { fences: fencesPlugin }, rules: { 'fences/imports': 'error' } },
  { files: ['scripts/**/*.mjs', 'bench/**/*.{mjs,ts}'], languageOptions: { globals: globals.node }, rules: { 'no-console': 'off' } },
);
