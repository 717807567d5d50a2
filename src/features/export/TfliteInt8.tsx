import { useState } from 'react';
import { exportSnippet } from './export-snippets';
import { FormatRow } from './FormatRow';
import { checkInt8Accuracy, downloadTfliteZip, type Int8Check } from './tflite-actions';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Full integer losing more than this (a fraction) against float on the validation photos is said in so many words. */
export const FULL_INT8_WARN = 0.02;

type Busy = 'download' | 'full' | 'check';
type Phase = { phase: 'calibrating' | 'checking'; done: number; total: number };

function progressText(p: Phase | null): string {
  if (!p) return '';
  return p.phase === 'calibrating' ? `calibrating ${p.done}/${p.total}` : `${p.done}/${p.total}`;
}

/**
 * The int8 TFLite rows of the Export panel (int8 weights; full integer, calibrated on training
 * photos) and their accuracy on the validation split next to the float model's.
 */
export function TfliteInt8({ canCheck, canCalibrate, range }: { canCheck: boolean; canCalibrate: boolean; range: readonly [number, number] }) {
  const [busy, setBusy] = useState<Busy | null>(null);
  const [progress, setProgress] = useState<Phase | null>(null);
  const [check, setCheck] = useState<Int8Check | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (kind: Busy, f: () => Promise<void>) => () => {
    setError(null);
    setBusy(kind);
    f()
      .catch((e: unknown) => setError((e as Error).message))
      .finally(() => {
        setBusy(null);
        setProgress(null);
      });
  };
  const download = run('download', () => downloadTfliteZip('int8-weights'));
  const downloadFull = run('full', () => downloadTfliteZip('full-int8', (done, total) => setProgress({ phase: 'calibrating', done, total })));
  const measure = run('check', async () => {
    setCheck(null);
    setCheck(await checkInt8Accuracy((phase, done, total) => setProgress({ phase, done, total })));
  });
  const loss = check ? check.floatAccuracy - check.fullInt8Accuracy : 0;
  const checkButton = canCheck && (
    <button type="button" className="button button--ghost" data-testid="tflite-int8-check" disabled={busy !== null} onClick={measure}>
      {busy === 'check' ? `Checking… ${progressText(progress)}` : 'Check int8 accuracy'}
    </button>
  );
  const results = (
    <div className="export-format__extra">
      {check && (
        <p
          className="notice notice--info"
          data-testid="tflite-int8-accuracy"
          data-photos={check.photos}
          data-float={check.floatAccuracy}
          data-int8={check.int8Accuracy}
          data-agreement={check.agreement}
          data-full-int8={check.fullInt8Accuracy}
          data-full-agreement={check.fullAgreement}
          data-calibration-photos={check.calibrationPhotos}
        >
          Validation accuracy on {check.photos} photos: float {pct(check.floatAccuracy)} · int8 weights {pct(check.int8Accuracy)} · full integer {pct(check.fullInt8Accuracy)} (calibrated on{' '}
          {check.calibrationPhotos} training photos). Same top class as float: int8 weights {pct(check.agreement)}, full integer {pct(check.fullAgreement)}.
        </p>
      )}
      {check && loss > FULL_INT8_WARN && (
        <p className="notice" data-testid="tflite-full-int8-warning">
          The full-integer model loses {(100 * loss).toFixed(1)} points on your validation photos. Use it only where the chip runs integers only; elsewhere the float or int8-weights file is more accurate.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
  return (
    <>
      <FormatRow
        id="tflite-int8"
        title="TensorFlow Lite, int8 weights"
        what="The same graph at about a quarter of the size: weights stored as int8 (one scale per output channel), computed in float32. Runs wherever the float file does."
        snippet={exportSnippet('tflite-int8', range)}
        extra={canCalibrate ? undefined : results}
      >
        <button type="button" className="button button--ghost" data-testid="download-tflite-int8" disabled={busy !== null} onClick={download}>
          {busy === 'download' ? 'Converting…' : 'Download .zip'}
        </button>
        {!canCalibrate && checkButton}
      </FormatRow>
      {canCalibrate && (
        <FormatRow
          id="tflite-full-int8"
          title="TensorFlow Lite, full integer"
          what="For integer-only chips (microcontrollers, NPUs, Edge TPU): uint8 pixels in, int8 activations calibrated on up to 100 of your training photos. With the default backbone it scored 0.5 (clothing) and 2.5 points (hand signs) below float on our test sets: check it on yours."
          snippet={exportSnippet('tflite-full-int8', range)}
          extra={results}
        >
          <button type="button" className="button button--ghost" data-testid="download-tflite-full-int8" disabled={busy !== null} onClick={downloadFull}>
            {busy === 'full' ? `Converting… ${progressText(progress)}` : 'Download .zip'}
          </button>
          {checkButton}
        </FormatRow>
      )}
    </>
  );
}
