import { describe, expect, it } from 'vitest';
import { DebugGates } from './debug-gates';

/** Starts `n` calls at the 'embed' point; returns which of them have passed so far. */
function calls(gates: DebugGates, n: number): { passed: Set<number>; all: Promise<void[]> } {
  const passed = new Set<number>();
  const all = Promise.all(Array.from({ length: n }, (_, i) => gates.pass('embed').then(() => void passed.add(i + 1))));
  return { passed, all };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('DebugGates', () => {
  it('holds only the n-th call by default', async () => {
    const gates = new DebugGates();
    gates.hold('embed', 2);
    const { passed, all } = calls(gates, 4);
    await tick();
    expect([...passed].sort()).toEqual([1, 3, 4]);
    expect(gates.isHeld('embed')).toBe(true);
    gates.release('embed');
    await all;
    expect(passed.size).toBe(4);
  });

  it('with andLater holds the n-th call and every later one until released', async () => {
    const gates = new DebugGates();
    gates.hold('embed', 2, true);
    const { passed, all } = calls(gates, 4);
    await tick();
    expect([...passed]).toEqual([1]);
    expect(gates.isHeld('embed')).toBe(true);
    gates.release('embed');
    await all;
    expect(passed.size).toBe(4);
    expect(gates.isHeld('embed')).toBe(false);
  });
});
