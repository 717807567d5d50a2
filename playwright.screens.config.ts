import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `npm run screens`: the screenshots in docs/screenshots (scripts/screens.spec.ts), not part of `npm test`.
export default defineConfig({ ...base, testDir: 'scripts', testMatch: 'screens.spec.ts', outputDir: 'test-results-screens' });
