import { useState } from 'react';
import { checkInt8Accuracy, downloadTfliteZip, type Int8Check } from './tflite-actions';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The int8-weights TFLite download, and its accuracy on the validation split next to the float model's. */
export function TfliteInt8({ canCheck }: { canCheck: boolean }) {
  const [busy, setBusy] = useState<'download' | 'check' | null>(null);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [check, setCheck] = useState<Int8Check | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (kind: 'download' | 'check', f: () => Promise<void>) => () => {
    setError(null);
    setBusy(kind);
    f()
      .catch((e: unknown) => setError((e as Error).message))
      .finally(() => {
        setBusy(null);
        setProgress(null);
      });
  };
  const download = run('download', () => downloadTfliteZip(true));
  const measure = run('check', async () => {
    setCheck(null);
    setCheck(await checkInt8Accuracy((done, total) => setProgress([done, total])));
  });
  return (
    <div className="tflite-int8">
      <div className="actions actions--start">
        <button type="button" className="button button--ghost" data-testid="download-tflite-int8" disabled={busy !== null} onClick={download}>
          {busy === 'download' ? 'Converting…' : 'TensorFlow Lite, int8 weights (.zip)'}
        </button>
        {canCheck && (
          <button type="button" className="button button--ghost" data-testid="tflite-int8-check" disabled={busy !== null} onClick={measure}>
            {busy === 'check' ? `Checking… ${progress ? `${progress[0]}/${progress[1]}` : ''}` : 'Check int8 accuracy'}
          </button>
        )}
      </div>
      <p className="hint">About a quarter of the size: weights stored as int8 (one scale per output channel), computed in float32.</p>
      {check && (
        <p
          className="notice notice--info"
          data-testid="tflite-int8-accuracy"
          data-photos={check.photos}
          data-float={check.floatAccuracy}
          data-int8={check.int8Accuracy}
          data-agreement={check.agreement}
        >
          Validation accuracy on {check.photos} photos: float {pct(check.floatAccuracy)} · int8 weights {pct(check.int8Accuracy)} · same top class for {pct(check.agreement)} of them.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
