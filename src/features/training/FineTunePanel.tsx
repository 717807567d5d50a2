import { getBackboneSpec } from '../../ml/backbones/catalog';
import { blockLayout } from '../../ml/finetune/blocks';
import { useTrainingStore } from '../../store/training-store';
import { fineTuneModel, fineTuneSummary, updateFineTune } from './finetune-actions';

const RATES = [1e-5, 3e-5, 1e-4];

function minutes(seconds: number): string {
  return seconds < 90 ? `${Math.ceil(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** Optional stage after head training: unfreeze the backbone's last blocks and train them with the head. */
export function FineTunePanel({ disabled }: { disabled: boolean }) {
  const model = useTrainingStore((s) => s.model);
  const phase = useTrainingStore((s) => s.phase);
  const choices = useTrainingStore((s) => s.fineTune);
  const estimate = useTrainingStore((s) => s.estimate);
  if (!model) return null;
  const spec = getBackboneSpec(model.backboneId);
  const layout = blockLayout(model.backboneId);
  const record = model.fineTune;
  const running = phase === 'finetuning';
  return (
    <div className="finetune" data-testid="finetune-panel">
      <h3>Fine-tune the backbone (optional)</h3>
      {!layout ? (
        <p className="notice" data-testid="finetune-unavailable">
          {spec.parts
            ? `${spec.label} joins two networks: fine-tuning is for one backbone. Pick one of the MobileNets and train again to fine-tune.`
            : `${spec.label} is a TF-Hub graph model: its layers cannot be unfrozen, so it cannot be fine-tuned. Pick a MobileNet layers backbone and train again to fine-tune.`}
        </p>
      ) : (
        <>
          <details className="advanced">
          <summary>Fine-tune settings</summary>
          <p className="hint">
            Unfreezes the last blocks of {spec.label} and trains them together with the head, with a much smaller learning rate, on the photos themselves (not
            the cached embeddings). It often helps when your classes look unlike everyday photos (hand signs, clothing types, medical or industrial images),
            and it is much slower than training the head. The better of before and after is kept.
          </p>
          <div className="settings-grid">
            <div className="field">
              <label htmlFor="finetune-blocks">Blocks to unfreeze</label>
              <select
                id="finetune-blocks"
                data-testid="finetune-blocks"
                value={choices.blocks ?? layout.defaultBlocks}
                disabled={disabled}
                onChange={(e) => updateFineTune({ blocks: Number(e.target.value) })}
              >
                {Array.from({ length: layout.maxBlocks }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                    {n === layout.defaultBlocks ? ' (default)' : ''}
                  </option>
                ))}
              </select>
              <p className="hint">More blocks can adapt more, but train slower and overfit small projects sooner.</p>
            </div>
            <div className="field">
              <label htmlFor="finetune-epochs">Epochs</label>
              <input
                id="finetune-epochs"
                data-testid="finetune-epochs"
                type="number"
                min={1}
                max={50}
                value={choices.epochs}
                disabled={disabled}
                onChange={(e) => {
                  const v = Math.round(Number(e.target.value));
                  if (Number.isFinite(v)) updateFineTune({ epochs: Math.min(50, Math.max(1, v)) });
                }}
              />
              <p className="hint">Stops early when validation stops improving.</p>
            </div>
            <div className="field">
              <label htmlFor="finetune-rate">Learning rate</label>
              <select id="finetune-rate" value={choices.learningRate} disabled={disabled} onChange={(e) => updateFineTune({ learningRate: Number(e.target.value) })}>
                {RATES.map((r) => (
                  <option key={r} value={r}>
                    {r.toExponential(0)}
                    {r === 1e-5 ? ' (default)' : ''}
                  </option>
                ))}
              </select>
              <p className="hint">Small, so the pretrained weights move only a little.</p>
            </div>
            <div className="field">
              <label>
                <input
                  type="checkbox"
                  data-testid="finetune-augment"
                  checked={choices.augment}
                  disabled={disabled}
                  onChange={(e) => updateFineTune({ augment: e.target.checked })}
                />{' '}
                Augment photos
              </label>
              <p className="hint">Random crops, mirror images and small brightness changes; helps small projects, but the whole network then runs every step (slower).</p>
            </div>
          </div>
          </details>
          <div className="actions actions--start">
            <button type="button" className="button" data-testid="fine-tune-button" disabled={disabled} onClick={() => void fineTuneModel()}>
              {record?.backbone ? 'Fine-tune more' : 'Fine-tune'}
            </button>
          </div>
          {running && (
            <p className="hint" data-testid="finetune-estimate" data-seconds={estimate?.totalSeconds ?? ''} aria-live="polite">
              {estimate
                ? `About ${minutes(estimate.totalSeconds)} on this device for up to ${choices.epochs} epochs (measured on the first batch${estimate.cached ? '; the frozen layers run once per photo' : ''}).`
                : 'Measuring how long a batch takes on this device…'}
            </p>
          )}
          {record && !running && (
            <p
              className={record.improved ? 'result' : 'notice'}
              data-testid="finetune-result"
              data-before={record.before.valAccuracy}
              data-after={record.bestTuned?.valAccuracy ?? ''}
              data-improved={record.improved}
              aria-live="polite"
            >
              {fineTuneSummary(record)} <span className="hint">({minutes(record.durationMs / 1000)}, {record.history.length} {record.history.length === 1 ? 'epoch' : 'epochs'}, last {record.settings.blocks} {record.settings.blocks === 1 ? 'block' : 'blocks'})</span>
            </p>
          )}
        </>
      )}
    </div>
  );
}
