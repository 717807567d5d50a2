import type { BackboneId } from '../../ml/backbones/catalog';
import { preEmbedFromSearch } from '../../lib/url-params';
import { useEngineStore } from '../../store/engine-store';
import { useProjectStore } from '../../store/project-store';
import { useTrainingStore } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { embedMissing } from './embed-missing';

/**
 * Embeds photos for the selected backbone while nobody waits for them (issue 17, item 4): once an
 * import ends (a dropped folder, the sample project, a reload's restored project, recorded frames)
 * and the backbone is loaded, missing embeddings are computed and cached as Train would, so Train
 * finds them ready. Its progress is the Train step's embedding bar; `stopBackgroundEmbedding`
 * (the bar's Stop) cancels it until the next change. It steps aside for imports, a backbone
 * change and training; Train adopts a running job (waits for it, and its Stop stops it).
 * `?preEmbed=0` turns it off (tests that count the engine's embedding calls).
 */
interface Job {
  backboneId: BackboneId;
  cancelled: boolean;
  /** Set by Train when it adopts the job: its Stop then stops the job too. */
  adoptedStop: (() => boolean) | null;
  done: Promise<void>;
}

let job: Job | null = null;
/** The person stopped it: it waits for the next import or backbone change. */
let stoppedByUser = false;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Whether the stores are watched (an App is mounted and owns the project). */
let watching = false;
const DEBOUNCE_MS = 300;

/** The backbone and photos to embed now, or null when something else has the engine or nothing is missing. */
function wanted(): { backboneId: BackboneId; hashes: string[] } | null {
  const engine = useEngineStore.getState();
  const project = useProjectStore.getState();
  const phase = useTrainingStore.getState().phase;
  if (engine.status !== 'ready' || project.importing !== null) return null;
  if (phase === 'embedding' || phase === 'training' || phase === 'finetuning') return null;
  const classIds = new Set(project.classes.map((c) => c.id));
  const hashes = [...new Set(project.images.filter((im) => classIds.has(im.classId)).map((im) => im.hash))];
  return hashes.length > 0 ? { backboneId: engine.backboneId, hashes } : null;
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    start();
  }, DEBOUNCE_MS);
}

function start(): void {
  if (job || stoppedByUser || !watching) return;
  const want = wanted();
  if (!want) return;
  const mine: Job = { backboneId: want.backboneId, cancelled: false, adoptedStop: null, done: Promise.resolve() };
  job = mine;
  useTrainingStore.setState({ embeddingInBackground: true });
  mine.done = (async () => {
    try {
      // Keys only: after every change the check costs little, even with 20,000 photos embedded.
      const missing = await repo.missingEmbeddings(want.backboneId, want.hashes);
      if (missing.length > 0 && !mine.cancelled) await embedMissing(want.backboneId, missing, () => mine.cancelled || (mine.adoptedStop?.() ?? false));
    } catch {
      // Train embeds again and reports what fails; the batches finished here stay cached.
    } finally {
      if (job === mine) job = null;
      useTrainingStore.setState({ embeddingInBackground: false });
      // Photos may have arrived meanwhile; a cancelled job's conditions are checked again too.
      if (!mine.adoptedStop) schedule();
    }
  })();
}

/** Cancels a running job (it ends after its batches in flight, which stay cached). */
function cancel(): Promise<void> {
  const running = job;
  if (!running || running.adoptedStop) return Promise.resolve();
  running.cancelled = true;
  return running.done;
}

/** The embedding bar's Stop: cancels the job; it starts again after the next import or backbone change. */
export async function stopBackgroundEmbedding(): Promise<void> {
  stoppedByUser = true;
  await cancel();
}

/**
 * For Train, before it embeds: a running job for `backboneId` is adopted (Train's `shouldStop` stops
 * it) and awaited; one for another backbone is cancelled. Call before Train marks itself busy.
 */
export function adoptBackgroundEmbedding(backboneId: BackboneId, shouldStop: () => boolean): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const running = job;
  if (!running) return Promise.resolve();
  if (running.backboneId !== backboneId) return cancel();
  running.adoptedStop = shouldStop;
  return running.done;
}

/**
 * Starts watching the stores (once, at app start); returns the stop, which also cancels a running
 * job (a tab that hands the project to another must not write to it any more).
 */
export function watchBackgroundEmbedding(): () => void {
  if (!preEmbedFromSearch(typeof window === 'undefined' ? '' : window.location.search)) return () => undefined;
  watching = true;
  let last = { images: -1, importing: false, backboneId: '', ready: false, phase: '' };
  const check = () => {
    const now = {
      images: useProjectStore.getState().images.length,
      importing: useProjectStore.getState().importing !== null,
      backboneId: useEngineStore.getState().backboneId,
      ready: useEngineStore.getState().status === 'ready',
      phase: useTrainingStore.getState().phase,
    };
    const changed = now.images !== last.images || now.importing !== last.importing || now.backboneId !== last.backboneId || now.ready !== last.ready || now.phase !== last.phase;
    if (!changed) return;
    // A new import or another backbone: the person's Stop no longer holds.
    if ((now.importing && !last.importing) || now.backboneId !== last.backboneId || now.images > last.images) stoppedByUser = false;
    last = now;
    // An engine restarting after a crash is not a reason to cancel: the job's batches retry on the
    // fresh engine (embed-missing.ts). A backbone change is.
    const busy = now.importing || now.phase === 'embedding' || now.phase === 'training' || now.phase === 'finetuning';
    if (busy || (job && job.backboneId !== now.backboneId)) void cancel();
    else if (now.ready) schedule();
  };
  const unsubscribe = [useProjectStore.subscribe(check), useEngineStore.subscribe(check), useTrainingStore.subscribe(check)];
  check();
  return () => {
    watching = false;
    unsubscribe.forEach((u) => u());
    if (timer) clearTimeout(timer);
    timer = null;
    void cancel();
  };
}
