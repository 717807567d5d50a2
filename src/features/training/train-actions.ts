import { proxy, transfer } from 'comlink';
import { engine, selectBackbone } from '../../engine/connection';
import { toErrorInfo } from '../../lib/errors';
import type { TrainSettings } from '../../ml/head/settings';
import { getBackboneSpec, isBackboneId } from '../../ml/backbones/catalog';
import { useEngineStore } from '../../store/engine-store';
import { useProjectStore } from '../../store/project-store';
import { useTrainingStore, type Mistake, type TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { workEnded, workStarted } from '../session/work-journal';
import { adoptBackgroundEmbedding } from './background-embed';
import { embedMissing } from './embed-missing';
import { saveModel } from './save-model';
import { combinedHistory } from './finetune-actions';
import { someNames, trainingReadiness } from './readiness';
import { canonicalRows, trainingSet } from './training-rows';
import { validationReport } from './validation-report';

const set = useTrainingStore.setState;
const get = useTrainingStore.getState;
let stopRequested = false;

/** Changes one training setting. */
export function updateSettings(patch: Partial<TrainSettings>): void {
  set({ settings: { ...get().settings, ...patch } });
}

/** Stops embedding or training; finished work is kept. */
export async function stopTraining(): Promise<void> {
  stopRequested = true;
  await (await engine()).stopTraining();
}

/** Computes missing embeddings, then trains a head and evaluates it on the validation split. */
export async function train(): Promise<void> {
  const { classes, images } = useProjectStore.getState();
  const readiness = trainingReadiness(classes, images);
  if (!readiness.ready) {
    set({ phase: 'error', error: { code: 'empty-class', message: readiness.reason } });
    return;
  }
  stopRequested = false;
  const backboneId = useEngineStore.getState().backboneId;
  const usable = classes.filter((c) => images.some((im) => im.classId === c.id));
  // By content hash: the split and the training order depend on the photos and the seed, not on import order.
  const rows = canonicalRows(images, usable);
  // Embeddings computed ahead (background-embed.ts): a job still running is adopted before Train marks itself busy.
  const ahead = adoptBackgroundEmbedding(backboneId, () => stopRequested);
  set({ phase: 'embedding', error: null, message: null, history: [], epochFraction: 0, fineTuneFrom: null, estimate: null });
  workStarted('embedding', images.length, rows.length);
  try {
    await ahead;
    const embeddings = stopRequested ? null : await embedMissing(backboneId, [...new Set(rows.map((r) => r.hash))], () => stopRequested);
    if (!embeddings) {
      set({ phase: get().model ? 'done' : 'idle', message: 'Stopped. The embeddings computed so far are kept.' });
      return;
    }
    const { settings } = get();
    // Photos without an embedding, or with one of another size, are left out (and counted), never trained as zeros.
    const { x, dim, labels, split, note: leftOut } = trainingSet(rows, usable, embeddings, getBackboneSpec(backboneId).embeddingSize, settings.validationFraction, settings.seed);
    set({ phase: 'training' });
    workStarted('training', images.length, rows.length);
    workEnded('embedding');
    const api = await engine();
    const request = { embeddings: x, dim, labels, numClasses: usable.length, trainIndices: split.train, validationIndices: split.validation, settings };
    const outcome = await api.train(
      transfer(request, [x.buffer]),
      proxy((p) => {
        if (p.kind === 'epoch') set({ history: [...get().history, p.log], epochFraction: 0 });
        else set({ epochFraction: p.fraction });
      }),
    );
    let evaluation = null;
    let predicted: number[] = [];
    let mistakes: Mistake[] = [];
    if (outcome.validationProbabilities && split.validation.length > 0) {
      const report = validationReport(
        outcome.validationProbabilities,
        split.validation.map((i) => labels[i] ?? 0),
        split.validation.map((i) => rows[i]?.id ?? ''),
        usable.map((c) => c.id),
      );
      ({ evaluation, predicted, mistakes } = report);
    }
    const model: TrainedModel = {
      backboneId,
      classIds: usable.map((c) => c.id),
      classNames: usable.map((c) => c.name),
      head: outcome.head,
      settings,
      history: outcome.history,
      bestEpoch: outcome.bestEpoch,
      evaluation,
      validationImageIds: split.validation.map((i) => rows[i]?.id ?? ''),
      validationPredicted: predicted,
      mistakes,
      trainedAt: Date.now(),
    };
    const tooSmall = split.classesWithoutValidation.flatMap((i) => usable[i]?.name ?? []);
    set({
      phase: 'done',
      model,
      message: [
        outcome.stoppedByUser ? `Stopped by you; the best model so far (epoch ${outcome.bestEpoch}) is kept.` : null,
        outcome.stoppedEarly ? `Stopped early: validation loss stopped improving; weights from epoch ${outcome.bestEpoch} are kept.` : null,
        tooSmall.length ? `Too few photos to validate: ${someNames(tooSmall)} (add at least 2 photos).` : null,
        leftOut,
      ]
        .filter(Boolean)
        .join(' ') || null,
    });
    // The model is in use on this page either way; say so when a reload would lose it.
    const notSaved = await saveModel(model);
    if (notSaved) set({ phase: 'error', error: notSaved });
  } catch (error) {
    set({ phase: 'error', error: toErrorInfo(error) });
  } finally {
    workEnded('embedding');
    workEnded('training');
  }
}

/** Restores the last trained model after a reload. */
export async function restoreModel(): Promise<void> {
  let model: TrainedModel | undefined;
  try {
    model = await repo.getMeta<TrainedModel>('model');
  } catch (error) {
    // The photos are stored apart from the model: say what was lost and what to do, not nothing.
    set({ phase: 'error', error: { code: 'unknown', message: `The trained model saved in this browser could not be read (${toErrorInfo(error).message}). Your classes and photos are kept: press Train to train it again.` } });
    return;
  }
  if (!model) return;
  // The picker shows, and Train uses, the backbone the restored model was trained on.
  if (isBackboneId(model.backboneId) && useEngineStore.getState().backboneId !== model.backboneId) await selectBackbone(model.backboneId);
  const api = await engine();
  await api.setHead(model.head);
  if (model.fineTune?.backbone) await api.setTunedBackbone(model.fineTune.backbone);
  set({ model, history: combinedHistory(model), fineTuneFrom: model.fineTune ? model.history.length : null, phase: 'done' });
}
