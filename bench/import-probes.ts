import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { CDPSession } from '@playwright/test';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Proc {
  pid: number;
  ppid: number;
  type: string;
  rssKb: number;
  cpuTicks: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return {
      pid,
      ppid: Number(fields[1]),
      type: /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser',
      rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return null; // gone meanwhile
  }
}

/** Every process below `rootParent` (our Node process): the browser we launched and all its children. */
export function chromiumTree(rootParent: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== null);
  const inTree = new Set([rootParent]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== rootParent && inTree.has(p.pid) && !/node|sh$/.test(p.type));
}

/** CPU seconds per Chromium process type (browser, renderer, gpu-process, utility) since `before`. */
export function cpuSecondsByType(before: readonly Proc[], after: readonly Proc[]): Record<string, number> {
  const start = new Map(before.map((p) => [p.pid, p.cpuTicks]));
  const out: Record<string, number> = {};
  for (const p of after) out[p.type] = (out[p.type] ?? 0) + (p.cpuTicks - (start.get(p.pid) ?? 0)) / 100;
  return out;
}

/**
 * CDP access to the page's dedicated workers (the ML engine): Playwright's page session cannot
 * address them, so messages go through Target.sendMessageToTarget on a non-flattened auto-attach.
 */
export async function workerChannel(cdp: CDPSession): Promise<{ sessions: string[]; send: (sessionId: string, method: string) => Promise<unknown> }> {
  let next = 1;
  const waiting = new Map<number, (v: unknown) => void>();
  const sessions: string[] = [];
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') sessions.push(e.sessionId);
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const send = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      setTimeout(() => resolve(null), 2000); // a busy or gone worker must not stall sampling
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(() => resolve(null));
    });
  return { sessions, send };
}
