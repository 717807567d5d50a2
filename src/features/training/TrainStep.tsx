import { useShallow } from 'zustand/react/shallow';
import { describeError } from '../../lib/errors';
import { StepHeader } from '../../ui/StepHeader';
import { useEngineStore } from '../../store/engine-store';
import { useProjectStore } from '../../store/project-store';
import { useTrainingStore } from '../../store/training-store';
import { ProgressBar } from '../../ui/ProgressBar';
import { BackbonePicker } from '../engine/BackbonePicker';
import { EmbeddingMap } from './EmbeddingMap';
import { EvaluationView } from './EvaluationView';
import { FineTunePanel } from './FineTunePanel';
import { trainingReadiness } from './readiness';
import { SettingsForm } from './SettingsForm';
import { stopBackgroundEmbedding } from './background-embed';
import { stopTraining, train } from './train-actions';
import { TrainingChart } from './TrainingChart';

function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '…';
  return s < 90 ? `${Math.ceil(s)} s left` : `${Math.ceil(s / 60)} min left`;
}

/** Step 2: embed, train with live curves, and see how good the model is. */
export function TrainStep() {
  // Only the verdict is subscribed to: an import of 20,000 photos changes the images 600 times.
  const readiness = useProjectStore(useShallow((s) => trainingReadiness(s.classes, s.images)));
  const engineReady = useEngineStore((s) => s.status === 'ready');
  const importing = useProjectStore((s) => s.importing !== null);
  const { phase, embedding, embeddingInBackground, history, epochFraction, model, message, error, settings, fineTuneFrom, fineTune } = useTrainingStore();
  const busy = phase === 'embedding' || phase === 'training' || phase === 'finetuning';
  const fineTuneEpoch = history.length - (fineTuneFrom ?? 0) + 1;
  const lastVal = model?.evaluation?.accuracy ?? null;
  return (
    <section className="panel step" aria-labelledby="train-title">
      <StepHeader num={2} title="Train" id="train-title">
        <p className="hint" data-testid="training-state" data-state={phase === 'finetuning' ? 'training' : phase} data-stage={phase === 'finetuning' ? 'fine-tune' : undefined} aria-live="polite">
          {phase === 'idle' && 'Not trained yet.'}
          {phase === 'embedding' && 'Computing embeddings…'}
          {phase === 'training' && `Training: epoch ${history.length + 1} of up to ${settings.epochs}`}
          {phase === 'finetuning' && `Fine-tuning: epoch ${fineTuneEpoch} of up to ${fineTune.epochs}`}
          {phase === 'done' && 'Trained.'}
          {phase === 'error' && 'Something went wrong.'}
        </p>
      </StepHeader>
      <BackbonePicker />
      <SettingsForm disabled={busy} />
      {!readiness.ready && <p className="notice">{readiness.reason}</p>}
      {readiness.ready && readiness.warning && <p className="notice notice--info">{readiness.warning}</p>}
      <div className="actions actions--start">
        <button type="button" className="button" data-testid="train-button" disabled={busy || importing || !readiness.ready || !engineReady} onClick={() => void train()}>
          {model ? 'Train again' : 'Train model'}
        </button>
        <button type="button" className="button button--ghost" data-testid="stop-button" disabled={!busy} onClick={() => void stopTraining()}>
          Stop
        </button>
      </div>
      {model?.fineTune?.backbone && !busy && (
        <p className="hint" data-testid="retrain-discards-finetune">
          Training again starts from the pretrained backbone: it discards the fine-tune.
        </p>
      )}
      {embedding && (phase === 'embedding' || embedding.done < embedding.total) && (
        <ProgressBar
          label={phase === 'embedding' ? 'Embeddings' : embeddingInBackground ? 'Embeddings, computed ahead of Train' : 'Embeddings (stopped: Train finishes them)'}
          testId="embedding-progress"
          done={embedding.done}
          total={embedding.total}
          detail={
            embedding.imagesPerSecond
              ? `${embedding.imagesPerSecond.toFixed(1)} img/s${embedding.engines > 1 ? ` on ${embedding.engines} cores` : ''} · ${formatSeconds(embedding.secondsLeft)}`
              : undefined
          }
        />
      )}
      {embeddingInBackground && phase !== 'embedding' && (
        <button type="button" className="button button--ghost button--small" data-testid="background-embedding-stop" onClick={() => void stopBackgroundEmbedding()}>
          Stop computing ahead
        </button>
      )}
      {embedding && phase !== 'embedding' && embedding.done >= embedding.total && (
        <div hidden data-testid="embedding-progress" data-done={embedding.done} data-total={embedding.total} data-engines={embedding.engines} />
      )}
      {embedding && embedding.total > 0 && phase === 'idle' && !embeddingInBackground && embedding.done >= embedding.total && (
        <p className="hint" data-testid="embeddings-ready">
          Embeddings are ready: Train goes straight to training.
        </p>
      )}
      {phase === 'training' && <ProgressBar label={`Epoch ${history.length + 1}`} done={Math.round(epochFraction * 100)} total={100} />}
      {phase === 'finetuning' && <ProgressBar label={`Fine-tune epoch ${fineTuneEpoch}`} done={Math.round(epochFraction * 100)} total={100} />}
      {error && (
        <p className="error" role="alert">
          {error.code === 'empty-class' ? error.message : describeError(error)}
        </p>
      )}
      {message && <p className="notice notice--info">{message}</p>}
      {(history.length > 0 || phase === 'training') && <TrainingChart history={history} fineTuneFrom={fineTuneFrom} />}
      {model && model.history.length > 0 && phase !== 'training' && phase !== 'finetuning' && (
        <>
          <p className="result" aria-live="polite">
            Validation accuracy:{' '}
            <strong data-testid="val-accuracy" data-value={lastVal ?? ''}>
              {lastVal === null ? 'n/a' : `${(lastVal * 100).toFixed(1)}%`}
            </strong>{' '}
            <span className="hint">
              (best epoch {model.bestEpoch} of {model.history.length}
              {model.fineTune?.backbone ? `, backbone fine-tuned (${model.fineTune.backbone.layers.length} layers)` : ''}, {model.validationImageIds.length} validation photos, seed{' '}
              {model.settings.seed})
            </span>
          </p>
          <EvaluationView model={model} />
          <EmbeddingMap model={model} />
        </>
      )}
      {/* Optional, and judged by the evaluation above it: last, after the chart and the evaluation. */}
      {model && model.history.length > 0 && phase !== 'training' && <FineTunePanel disabled={busy || !engineReady} />}
    </section>
  );
}
