import { getBackboneSpec } from '../../ml/backbones/catalog';
import { AUTO_LARGE_BATCH_FROM } from '../../ml/head/settings';
import type { TrainedModel } from '../../store/training-store';

/** The app version (package.json's, set by Vite; 'dev' elsewhere). */
const APP_VERSION: string = import.meta.env?.VITE_APP_VERSION ?? 'dev';

/** Confusion matrices up to this many classes are written out in full; larger ones as their largest off-diagonal cells. */
const FULL_MATRIX_UP_TO = 20;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A name as one Markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');

export interface ModelCardInput {
  model: TrainedModel;
  /** Photos per class id in the project when the card is written. */
  photoCounts: ReadonlyMap<string, number>;
  /** What the download holds, e.g. "TensorFlow.js layers model (model.json + weights.bin)". */
  format: string;
  /** When the card is written (defaults to now). */
  date?: Date;
}

/** MODEL_CARD.md: what the model is, what it was trained on, how well it did, and its limits. */
export function modelCard({ model, photoCounts, format, date = new Date() }: ModelCardInput): string {
  const spec = getBackboneSpec(model.backboneId);
  const [lo, hi] = spec.inputRange;
  const ev = model.evaluation;
  const s = model.settings;
  const lines: string[] = [];
  lines.push(`# Model card: image classifier (${model.classNames.length} classes)`, '');
  lines.push(`Made with Transfer Studio ${APP_VERSION} on ${date.toISOString().slice(0, 10)}; trained ${new Date(model.trainedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC. This download: ${format}.`, '');
  lines.push('## Classes and photos', '', '| # | class | photos |', '| --- | --- | --- |');
  model.classNames.forEach((name, i) => lines.push(`| ${i} | ${cell(name)} | ${photoCounts.get(model.classIds[i] ?? '') ?? '?'} |`));
  lines.push('', 'Output order is the order above (labels.txt / metadata.json `labels`).', '');
  lines.push('## Model', '');
  lines.push(`- Backbone: ${spec.label} (\`${spec.id}\`), ImageNet-pretrained MobileNet weights by Google (Apache-2.0), ${spec.embeddingSize}-value embedding${model.fineTune?.backbone ? `; its last ${model.fineTune.settings.blocks} block(s) fine-tuned on these photos` : ', frozen'}.`);
  lines.push(`- Head: ${s.hiddenUnits > 0 ? `Dense(${s.hiddenUnits}, relu), dropout ${s.dropout}, ` : ''}Dense(${model.classNames.length}, softmax).`);
  lines.push(`- Preprocessing: EXIF orientation applied, transparent pixels onto white, largest centred square, resized to ${spec.inputSize}x${spec.inputSize} (bilinear, high quality), RGB scaled to [${lo}, ${hi}] (${lo === -1 ? 'pixel / 127.5 - 1' : `pixel * ${(hi - lo) / 255} + ${lo}`}).`);
  lines.push('', '## Training', '');
  lines.push(`- Settings: ${s.epochs} epochs at most (best epoch ${model.bestEpoch} kept${s.earlyStoppingPatience > 0 ? `, early stopping after ${s.earlyStoppingPatience} without improvement` : ''}), ${s.batchSize > 0 ? `batch ${s.batchSize}, Adam learning rate ${s.learningRate}` : `automatic batch (32, or 128 with ${AUTO_LARGE_BATCH_FROM.toLocaleString('en')} training photos or more, the learning rate ${s.learningRate} then doubled)`}, class weighting ${s.classWeighting}, seed ${s.seed}.`);
  lines.push(`- Split: ${pct(s.validationFraction)} of each class held out for validation, chosen from the photos' content and the seed (the same photos and seed give the same split and model).`);
  if (model.fineTune) lines.push(`- Fine-tune: validation accuracy ${pct(model.fineTune.before.valAccuracy)} before, ${pct(model.fineTune.after.valAccuracy)} kept (${model.fineTune.improved ? 'the fine-tuned model' : 'the model from before: fine-tuning did not help'}).`);
  lines.push('', '## Validation', '');
  if (!ev) {
    lines.push('No validation photos were held out, so there are no measured figures. Treat the model as untested.');
  } else {
    const n = ev.confusion.reduce((a, row) => a + row.reduce((b, v) => b + v, 0), 0);
    lines.push(`Accuracy ${pct(ev.accuracy)} on ${n} held-out photos.`, '', '| class | precision | recall | F1 | photos |', '| --- | --- | --- | --- | --- |');
    ev.perClass.forEach((m, i) => lines.push(`| ${cell(model.classNames[i] ?? String(i))} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${m.support} |`));
    lines.push('', '### Confusion matrix (rows: true class, columns: predicted)', '');
    if (ev.confusion.length <= FULL_MATRIX_UP_TO) {
      lines.push(`| true \\ predicted | ${model.classNames.map(cell).join(' | ')} |`, `| --- | ${model.classNames.map(() => '---').join(' | ')} |`);
      ev.confusion.forEach((row, i) => lines.push(`| ${cell(model.classNames[i] ?? String(i))} | ${row.join(' | ')} |`));
    } else {
      const cells: { t: number; p: number; v: number }[] = [];
      ev.confusion.forEach((row, t) => row.forEach((v, p) => t !== p && v > 0 && cells.push({ t, p, v })));
      cells.sort((a, b) => b.v - a.v);
      lines.push(`${ev.confusion.length} classes: the ${Math.min(20, cells.length)} most frequent confusions.`, '', '| true | predicted as | photos |', '| --- | --- | --- |');
      for (const c of cells.slice(0, 20)) lines.push(`| ${cell(model.classNames[c.t] ?? '')} | ${cell(model.classNames[c.p] ?? '')} | ${c.v} |`);
    }
  }
  lines.push('', '## Known limits', '');
  lines.push('- It only knows these classes: every photo gets one of them, however unrelated it is. A low top probability is a hint, not a guarantee, that a photo fits none.');
  lines.push('- It learned from these photos only: other cameras, lighting, backgrounds or framing than in the training photos can lower accuracy. Validation photos come from the same collection, so real-world accuracy is usually lower than the figure above.');
  lines.push(`- Small validation sets give rough figures${ev ? ` (one standard error is about ${pct(Math.sqrt((ev.accuracy * (1 - ev.accuracy)) / Math.max(1, ev.perClass.reduce((a, m) => a + m.support, 0))))} here)` : ''}.`);
  lines.push('- The backbone was pretrained on ImageNet and carries its biases; check the model on the people, places and objects it will meet before relying on it.');
  lines.push('');
  return lines.join('\n');
}

/** Photos per class id in the project now. */
export function photoCountsOf(images: readonly { classId: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const im of images) counts.set(im.classId, (counts.get(im.classId) ?? 0) + 1);
  return counts;
}
