import { proxy } from 'comlink';
import { engine } from '../../engine/connection';
import { toErrorInfo } from '../../lib/errors';
import { getBackboneSpec } from '../../ml/backbones/catalog';
import { blockLayout } from '../../ml/finetune/blocks';
import { DEFAULT_FINETUNE_SETTINGS, type FineTuneSettings } from '../../ml/finetune/settings';
import type { EpochLog } from '../../ml/head/train-head';
import { useProjectStore } from '../../store/project-store';
import { useTrainingStore, type FineTuneChoices, type TrainedModel } from '../../store/training-store';
import * as repo from '../dataset/project-repo';
import { ensureModelBackbone } from '../prediction/predict-actions';
import { canonicalRows } from './training-rows';
import { validationReport } from './validation-report';
import { workEnded, workStarted } from '../session/work-journal';
import { saveModel } from './save-model';

const set = useTrainingStore.setState;
const get = useTrainingStore.getState;

/** The head's epochs followed by the last fine-tune's, numbered on (the chart goes on where the head stopped). */
export function combinedHistory(model: TrainedModel): EpochLog[] {
  const offset = model.history.length;
  return [...model.history, ...(model.fineTune?.history ?? []).map((log) => ({ ...log, epoch: log.epoch + offset }))];
}

/** Changes one fine-tune choice. */
export function updateFineTune(patch: Partial<FineTuneChoices>): void {
  set({ fineTune: { ...get().fineTune, ...patch } });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The sentence that sums up a fine-tune. */
export function fineTuneSummary(record: NonNullable<TrainedModel['fineTune']>): string {
  const { before, after, bestTuned, improved, stoppedByUser } = record;
  const loss = (a: number, b: number) => ` (validation loss ${a.toFixed(3)} → ${b.toFixed(3)})`;
  if (improved) return `Validation accuracy before fine-tuning ${pct(before.valAccuracy)} → after ${pct(after.valAccuracy)}${after.valAccuracy === before.valAccuracy ? loss(before.valLoss, after.valLoss) : ''}.`;
  if (!bestTuned) return `${stoppedByUser ? 'Stopped' : 'Ended'} before the first fine-tune epoch finished; kept the model from before (validation accuracy ${pct(before.valAccuracy)}).`;
  return `Validation accuracy before fine-tuning ${pct(before.valAccuracy)} → after ${pct(bestTuned.valAccuracy)}${bestTuned.valAccuracy === before.valAccuracy ? loss(before.valLoss, bestTuned.valLoss) : ''}: fine-tuning made it worse; kept the model from before.`;
}

/**
 * Fine-tunes the trained model: the backbone's last N blocks and the head together, on the stored
 * training copies, validated on the head's validation photos. The chart goes on after the head's epochs.
 */
export async function fineTuneModel(): Promise<void> {
  const model = get().model;
  if (!model) return;
  const layout = blockLayout(model.backboneId);
  if (!layout) {
    const label = getBackboneSpec(model.backboneId).label;
    set({
      phase: 'error',
      error: { code: 'unknown', message: `${label} cannot be fine-tuned: it is a graph model, with no layers to unfreeze. Pick a MobileNet layers backbone and train again to fine-tune.` },
    });
    return;
  }
  const { images } = useProjectStore.getState();
  const classIndex = new Map(model.classIds.map((id, i) => [id, i]));
  // The order head training used (by content hash): the seeded shuffles then follow the photos, not their import order.
  const rows = canonicalRows(images, model.classIds.map((id) => ({ id })));
  const rowOf = new Map(rows.map((r, i) => [r.id, i]));
  const validationIndices = model.validationImageIds.flatMap((id) => {
    const i = rowOf.get(id);
    return i === undefined ? [] : [i];
  });
  const inValidation = new Set(validationIndices);
  const trainIndices = rows.flatMap((_, i) => (inValidation.has(i) ? [] : [i]));
  if (validationIndices.length === 0 || trainIndices.length === 0) {
    set({ phase: 'error', error: { code: 'empty-class', message: 'Fine-tuning needs training and validation photos: train with a validation fraction above 0 first.' } });
    return;
  }
  const choices = get().fineTune;
  const settings: FineTuneSettings = {
    ...DEFAULT_FINETUNE_SETTINGS,
    blocks: Math.min(choices.blocks ?? layout.defaultBlocks, layout.maxBlocks),
    epochs: choices.epochs,
    learningRate: choices.learningRate,
    augment: choices.augment,
    seed: model.settings.seed,
  };
  const headHistory = model.history;
  workStarted('finetuning', images.length, rows.length);
  set({ phase: 'finetuning', error: null, message: 'Reading the training photos…', estimate: null, history: headHistory, fineTuneFrom: headHistory.length, epochFraction: 0 });
  try {
    await ensureModelBackbone();
    const stored = await repo.getPixelsMany(rows.map((r) => r.hash));
    const jpegs = rows.map((r, i) => {
      const blob = stored[i];
      if (!blob) throw new Error(`The training copy of ${r.name} is missing`);
      return blob;
    });
    const labels = Int32Array.from(rows, (r) => classIndex.get(r.classId) ?? 0);
    set({ message: 'Measuring the first batch…' });
    const api = await engine();
    const outcome = await api.fineTune(
      { jpegs, labels, numClasses: model.classIds.length, trainIndices, validationIndices, settings, headSettings: model.settings },
      proxy((p) => {
        if (p.kind === 'estimate') set({ estimate: p.estimate, message: null });
        else if (p.kind === 'epoch') set({ history: [...get().history, { ...p.log, epoch: p.log.epoch + headHistory.length }], epochFraction: 0 });
        else set({ epochFraction: p.fraction });
      }),
    );
    const report = validationReport(
      outcome.validationProbabilities,
      validationIndices.map((i) => labels[i] ?? 0),
      validationIndices.map((i) => rows[i]?.id ?? ''),
      model.classIds,
    );
    const fineTune = {
      settings,
      before: outcome.before,
      after: outcome.after,
      bestTuned: outcome.bestTuned,
      improved: outcome.improved,
      stoppedByUser: outcome.stoppedByUser,
      history: outcome.history,
      durationMs: outcome.durationMs,
      backbone: outcome.backbone,
    };
    const next: TrainedModel = {
      ...model,
      head: outcome.head,
      evaluation: report.evaluation,
      validationImageIds: validationIndices.map((i) => rows[i]?.id ?? ''),
      validationPredicted: report.predicted,
      mistakes: report.mistakes,
      fineTune,
    };
    set({ phase: 'done', model: next, message: null, estimate: null });
    // Saved with one retry; if it still fails, the fine-tuned model is in use but would be lost on a reload: say so.
    const unsaved = await saveModel(next);
    if (unsaved) set({ phase: 'error', error: unsaved });
  } catch (error) {
    // The model from before stays in use; the state says the fine-tune failed.
    set({ phase: 'error', message: null, error: toErrorInfo(error), history: combinedHistory(model), fineTuneFrom: model.fineTune ? model.history.length : null });
  } finally {
    workEnded('finetuning');
  }
}
