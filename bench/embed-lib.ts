/**
 * Helpers for bench/embed.ts: the built app behind `vite preview`, Chromium with the e2e flags,
 * photo subsets, and /proc sampling (RSS of every Chromium process, CPU time per thread name).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser-options';

export const ROOT = join(import.meta.dirname, '..');
export const TRAIN_DIR = join(ROOT, '../shared/datasets/clothing-small/train');
export const SCRATCH = join(ROOT, 'bench/out/embed');

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (...parts: unknown[]) => process.stderr.write(`[embed ${new Date().toISOString().slice(11, 19)}] ${parts.join(' ')}\n`);

/** Builds the app into dist-bench/ and serves it with `vite preview` on `port`. */
export async function serveApp(port: number, build: boolean): Promise<{ url: string; stop: () => void }> {
  if (build) {
    const r = spawnSync('npx', ['vite', 'build', '--outDir', 'dist-bench'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--outDir', 'dist-bench', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      // already gone
    }
  };
  for (let i = 0; i < 100; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return { url, stop };
    if (server.exitCode !== null) break;
    await sleep(300);
  }
  stop();
  throw new Error(`vite preview did not answer on ${url} (port taken?)`);
}

/**
 * tsx (esbuild) wraps named inner functions in `__name(...)`; functions serialized into a page by
 * page.evaluate / addInitScript need that helper there. Add this init script to every page first.
 */
export const NAME_SHIM = { content: 'window.__name = (f) => f;' };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Photo paths of the training split, interleaved across classes (a stable, mixed subset for any n). */
export function trainPhotos(): { path: string; className: string }[] {
  const classes = readdirSync(TRAIN_DIR).filter((d) => statSync(join(TRAIN_DIR, d)).isDirectory()).sort();
  const lists = classes.map((c) => readdirSync(join(TRAIN_DIR, c)).sort().map((f) => ({ path: join(TRAIN_DIR, c, f), className: c })));
  const out: { path: string; className: string }[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) {
    for (const l of lists) if (l[i]) out.push(l[i] as { path: string; className: string });
  }
  return out;
}

/** A folder with one sub-folder per class holding the first `n` photos of `trainPhotos()` (copied once). */
export function subsetFolder(n: number): { folder: string; paths: string[] } {
  const photos = trainPhotos().slice(0, n);
  const folder = join(SCRATCH, `subset-${photos.length}`, 'train');
  for (const p of photos) {
    const dir = join(folder, p.className);
    const to = join(dir, p.path.split('/').pop() as string);
    if (!existsSync(to)) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(p.path, to);
    }
  }
  return { folder, paths: photos.map((p) => p.path) };
}

interface ProcInfo {
  pid: number;
  ppid: number;
  rssKb: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      pid,
      ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]),
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
    };
  } catch {
    return null; // exited meanwhile
  }
}

/** The Chromium processes started by this Node process (the browser and all its children). */
export function chromiumProcs(): ProcInfo[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== null);
  const tree = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== process.pid && tree.has(p.pid) && !/node|npm|esbuild|vite/.test(readFileSync(`/proc/${p.pid}/comm`, 'utf8')));
}

/** Sum of VmRSS of the Chromium processes, bytes. */
export function chromiumRss(): number {
  return chromiumProcs().reduce((kb, p) => kb + p.rssKb, 0) * 1024;
}

/** CPU ticks (1/100 s) per "process-kind/thread-name" across the Chromium processes. */
export function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of chromiumProcs()) {
    let kind: string;
    let tids: string[];
    try {
      kind = /--type=([\w-]+)/.exec(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${kind}/${name}`;
        out.set(key, (out.get(key) ?? 0) + Number(f[11]) + Number(f[12]));
      } catch {
        // thread ended
      }
    }
  }
  return out;
}

/** CPU seconds per thread kind between two `threadTicks()` snapshots, largest first (>= `min` s). */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>, min = 0.1): Record<string, number> {
  const rows = [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / 100] as const).filter(([, s]) => s >= min && s > 0);
  return Object.fromEntries(rows.sort((a, b) => b[1] - a[1]).map(([k, s]) => [k, round(s, 2)]));
}
