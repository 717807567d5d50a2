/**
 * What the page's repaints cost the import and the embed step (issue 17: import + embed), in
 * headless Chromium on the built app: 300 clothing-small photos dropped through CDP, then Train's
 * embed step (`?preEmbed=0`), each timed with the page shown and with `display: none` on its body
 * right after the drop / the Train click (nothing to repaint), interleaved. Without a GPU (here:
 * SwiftShader) a repaint of the page costs tens of milliseconds of a core, so a UI that changes
 * ten times a second takes CPU from the work it reports on.
 * --mutations: instead, counts the DOM mutations during each phase by nearest data-testid (which
 * part of the page changes, and how often).
 *
 *   npx tsx bench/repaint-cost.ts [--repeats=3] [--n=300] [--mutations] [--no-build]
 */
import type { Page } from '@playwright/test';
import { dropOnDataset, importFolder, openApp, type AppPage } from './embed-app';
import { launchChromium, log, median, serveApp, subsetFolder } from './embed-lib';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const REPEATS = Number(arg('repeats') ?? 3);
const N = Number(arg('n') ?? 300);
const MUTATIONS = process.argv.includes('--mutations');

type Marks = { __bench: { marks: Record<string, number | undefined> } };
type Census = { __census: Record<string, number> };

/** Counts DOM mutations by the nearest element with a data-testid, and what changed. */
function census(): void {
  const w = window as unknown as Census;
  w.__census = {};
  new MutationObserver((records) => {
    for (const m of records) {
      let el: Node | null = m.target;
      while (el && !(el instanceof Element && el.getAttribute('data-testid'))) el = el.parentNode;
      const what = m.type === 'attributes' ? `@${m.attributeName}` : m.type;
      const key = `${(el as Element | null)?.getAttribute('data-testid') ?? '(page)'} ${what}`;
      w.__census[key] = (w.__census[key] ?? 0) + 1;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

async function takeCensus(page: Page): Promise<string> {
  const counts = await page.evaluate(() => {
    const w = window as unknown as Census;
    const c = w.__census;
    w.__census = {};
    return c;
  });
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${v} ${k}`).join(', ');
}

/** Drops the folder; with `hide`, hides the page right after the drop. Returns ms from drop to import end. */
async function timedImport(app: AppPage, folder: string, hide: boolean): Promise<number> {
  if (!hide) return importFolder(app, folder, N);
  const { page } = app;
  await dropOnDataset(app, folder);
  await page.evaluate(() => (document.body.style.display = 'none'));
  await page.waitForFunction(() => (window as unknown as Marks).__bench.marks.importDone !== undefined, undefined, { timeout: 600_000, polling: 200 });
  const ms = await page.evaluate(() => ((m) => (m.importDone ?? NaN) - (m.drop ?? NaN))((window as unknown as Marks).__bench.marks));
  await page.evaluate(() => (document.body.style.display = ''));
  return ms;
}

/** Clicks Train; with `hide`, hides the page right after. Returns ms from the click to all embedded. */
async function timedEmbed(page: Page, hide: boolean): Promise<number> {
  await page.evaluate(() => {
    const m = (window as unknown as Marks).__bench.marks;
    m.train = undefined;
    m.embedDone = undefined;
  });
  await page.locator('[data-testid="train-button"]').click();
  if (hide) await page.evaluate(() => (document.body.style.display = 'none'));
  await page.waitForFunction(() => (window as unknown as Marks).__bench.marks.embedDone !== undefined, undefined, { timeout: 600_000, polling: 100 });
  return page.evaluate(() => ((m) => (m.embedDone ?? NaN) - (m.train ?? NaN))((window as unknown as Marks).__bench.marks));
}

const { folder } = subsetFolder(N);
const server = await serveApp(4195, !process.argv.includes('--no-build'));
const browser = await launchChromium();
const times: Record<string, { import: number[]; embed: number[] }> = { shown: { import: [], embed: [] }, hidden: { import: [], embed: [] } };
try {
  for (let repeat = 0; repeat < (MUTATIONS ? 1 : REPEATS); repeat++) {
    for (const mode of MUTATIONS ? ['shown'] : ['shown', 'hidden']) {
      const context = await browser.newContext();
      if (MUTATIONS) await context.addInitScript(census);
      const app = await openApp(context, server.url, 'auto');
      if (MUTATIONS) await takeCensus(app.page);
      const importMs = await timedImport(app, folder, mode === 'hidden');
      if (MUTATIONS) log(`import ${Math.round(importMs)} ms, DOM mutations: ${await takeCensus(app.page)}`);
      const embedMs = await timedEmbed(app.page, mode === 'hidden');
      if (MUTATIONS) log(`embed step ${Math.round(embedMs)} ms, DOM mutations: ${await takeCensus(app.page)}`);
      times[mode]?.import.push(importMs);
      times[mode]?.embed.push(embedMs);
      if (!MUTATIONS) log(`${mode}: import ${(importMs / 1000).toFixed(2)} s, embed step ${(embedMs / 1000).toFixed(2)} s`);
      await context.close();
    }
  }
  if (!MUTATIONS) {
    console.log(`\n| page | import s, median [runs] | embed step s, median [runs] |\n| --- | --- | --- |`);
    for (const [mode, t] of Object.entries(times)) {
      const f = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} [${xs.map((x) => (x / 1000).toFixed(2)).join(', ')}]`;
      console.log(`| ${mode} | ${f(t.import)} | ${f(t.embed)} |`);
    }
  }
} finally {
  await browser.close();
  server.stop();
}
