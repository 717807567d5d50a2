/** Points in the engine where a test can hold a call (with `?debug`): the n-th call waits there until released. */
/** 'epoch': after each epoch of head training or fine-tuning, before the next starts. */
export type GatePoint = 'embed' | 'train' | 'epoch' | 'finetune' | 'import' | 'predict';

interface Gate {
  /** Calls seen at this point since the hold was set. */
  calls: number;
  atCall: number;
  /** Every call from `atCall` on waits (several lanes of batches: none runs ahead). */
  andLater: boolean;
  /** Calls waiting now. */
  waiting: number;
  held: boolean;
  release: (() => void) | null;
  released: Promise<void>;
}

/**
 * Test hooks that pause the engine at a given item, so an e2e test can act "while embedding" or
 * "while training" without racing the clock. Without a hold set, `pass` returns at once.
 */
export class DebugGates {
  private readonly gates = new Map<GatePoint, Gate>();

  /**
   * The `atCall`-th call (1-based) at `point` from now on waits until `release(point)`; with
   * `andLater`, every call after it waits too.
   */
  hold(point: GatePoint, atCall: number, andLater = false): void {
    let release: (() => void) | null = null;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.gates.get(point)?.release?.();
    this.gates.set(point, { calls: 0, atCall, andLater, waiting: 0, held: false, release, released });
  }

  /** Lets the held call (and any later) go on. */
  release(point: GatePoint): void {
    const gate = this.gates.get(point);
    gate?.release?.();
    this.gates.delete(point);
  }

  /** True while a call waits at `point`. */
  isHeld(point: GatePoint): boolean {
    return this.gates.get(point)?.held ?? false;
  }

  /** Called by the engine at `point`; waits when this is the call a test asked to hold. */
  async pass(point: GatePoint): Promise<void> {
    const gate = this.gates.get(point);
    if (!gate) return;
    gate.calls++;
    if (gate.calls < gate.atCall || (gate.calls > gate.atCall && !gate.andLater)) return;
    gate.waiting++;
    gate.held = true;
    await gate.released;
    gate.held = --gate.waiting > 0;
  }
}
