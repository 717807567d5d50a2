/**
 * Drop to trained model (issue 17's target: 300 photos, default settings, <= 15 s here): the built
 * app in headless Chromium, a folder of clothing-small train photos dropped through CDP (a real
 * drag), Train clicked `--wait` seconds after the import ends (0 = at once; a person looks at the
 * classes first), time from the drop to the training state "done". Compared with and without
 * embedding ahead of Train (`?preEmbed=0` = the app before issue 17 item 4), interleaved.
 *
 *   npx tsx bench/drop-to-trained.ts [--n=300] [--repeats=2] [--wait=0,5] [--no-build]
 */
import { importFolder, openApp } from './embed-app';
import { launchChromium, log, median, round, serveApp, subsetFolder } from './embed-lib';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const N = Number(arg('n', '300'));
const REPEATS = Number(arg('repeats', '2'));
const WAITS = arg('wait', '0,5').split(',').map(Number);
const PORT = 4193;

async function main(): Promise<void> {
  const { folder } = subsetFolder(N);
  const server = await serveApp(PORT, !process.argv.includes('--no-build'));
  const browser = await launchChromium();
  const rows: { mode: string; wait: number; importS: number; totalS: number }[] = [];
  try {
    for (let r = 0; r < REPEATS; r++) {
      for (const wait of WAITS) {
        for (const mode of ['auto', 'auto:ahead']) {
          const context = await browser.newContext();
          const app = await openApp(context, server.url, mode);
          const importMs = await importFolder(app, folder, N);
          if (wait > 0) await app.page.waitForTimeout(wait * 1000);
          await app.page.getByTestId('train-button').click();
          await app.page.getByTestId('training-state').and(app.page.locator('[data-state="done"]')).waitFor({ timeout: 600_000 });
          const totalMs = await app.page.evaluate(() => performance.now() - ((window as unknown as { __bench: { marks: { drop?: number } } }).__bench.marks.drop ?? NaN));
          rows.push({ mode: mode === 'auto' ? 'Train embeds (before)' : 'embedded ahead (now)', wait, importS: importMs / 1000, totalS: totalMs / 1000 });
          log(`${mode} wait ${wait} s: import ${round(importMs / 1000)} s, drop to trained ${round(totalMs / 1000)} s`);
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    server.stop();
  }
  console.log(`\n${N} clothing-small photos, default backbone and settings, ${new Date().toISOString()}, medians of ${REPEATS}`);
  console.log('| embedding | Train clicked after import + | import s | drop to trained s (incl. the wait) |');
  console.log('| --- | --- | --- | --- |');
  for (const wait of WAITS) {
    for (const mode of ['Train embeds (before)', 'embedded ahead (now)']) {
      const mine = rows.filter((x) => x.mode === mode && x.wait === wait);
      console.log(`| ${mode} | ${wait} s | ${round(median(mine.map((x) => x.importS)))} | ${round(median(mine.map((x) => x.totalS)))} |`);
    }
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
