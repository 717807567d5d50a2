import { transfer } from 'comlink';
import { useEffect, useRef, useState } from 'react';
import { engine } from '../../engine/connection';
import { CAMERA_DISCONNECTED, closeCamera, describeCameraError, listCameras, openCamera } from '../../platform/camera';
import { canvasRgba, drawSquare } from '../../platform/image-decode';
import { getBackboneSpec, isBackboneId } from '../../ml/backbones/catalog';
import { useEngineStore } from '../../store/engine-store';
import { usePredictionStore } from '../../store/prediction-store';
import { useTrainingStore } from '../../store/training-store';
import { ensureModelBackbone, rank } from './predict-actions';

const backboneLabel = (id: string) => (isBackboneId(id) ? getBackboneSpec(id).label : id);

const INPUT = 224;

/** Live webcam classification: drops frames rather than queueing them, releases the camera when stopped or hidden. */
export function Webcam() {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const running = useRef(false);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [mirror, setMirror] = useState(true);
  const webcam = usePredictionStore((s) => s.webcam);
  const threshold = usePredictionStore((s) => s.threshold);
  const model = useTrainingStore((s) => s.model);
  const names = model?.classNames ?? [];
  const setWebcam = (patch: Partial<typeof webcam>) => usePredictionStore.setState((s) => ({ webcam: { ...s.webcam, ...patch } }));

  const stop = () => {
    running.current = false;
    closeCamera(stream.current);
    stream.current = null;
    if (video.current) video.current.srcObject = null;
    setWebcam({ on: false, fps: null });
  };

  const loop = async () => {
    const api = await engine();
    let frames = 0;
    let since = performance.now();
    while (running.current) {
      const v = video.current;
      if (!v || v.readyState < 2) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      // The backbone was changed in step 2 while the camera ran: this model's head does not fit it.
      const model = useTrainingStore.getState().model;
      const backboneId = useEngineStore.getState().backboneId;
      if (model && model.backboneId !== backboneId) {
        throw new Error(
          `The camera stopped: the backbone is now ${backboneLabel(backboneId)}, but this model was trained with ${backboneLabel(model.backboneId)}. Start the camera again to use this model (it switches back), or train again with the new backbone.`,
        );
      }
      // One frame in flight at a time: frames that arrive meanwhile are simply not taken.
      const rgba = canvasRgba(drawSquare(v, INPUT));
      const probs = await api.predictRgba(transfer(rgba, [rgba.buffer]));
      const ranked = rank(probs);
      const top = ranked[0];
      frames++;
      const now = performance.now();
      const fps = now - since > 1000 ? (frames * 1000) / (now - since) : null;
      if (fps !== null) {
        frames = 0;
        since = now;
      }
      if (!running.current) break;
      // The model in use now, not the one when the camera started: a rename and retraining happen while it runs.
      const current = useTrainingStore.getState().model?.classNames ?? [];
      setWebcam({ label: top ? (current[top.classIndex] ?? null) : null, confidence: top?.probability ?? null, ranked, ...(fps !== null ? { fps } : {}) });
      await new Promise((r) => requestAnimationFrame(r));
    }
  };

  const start = async () => {
    try {
      setWebcam({ error: null });
      await ensureModelBackbone();
      stream.current = await openCamera(deviceId);
      if (video.current) {
        video.current.srcObject = stream.current;
        await video.current.play();
      }
      setCameras(await listCameras());
      running.current = true;
      setWebcam({ on: true });
      void loop().catch((e: unknown) => {
        stop();
        setWebcam({ error: (e as Error).message });
      });
      stream.current.getVideoTracks()[0]?.addEventListener('ended', () => {
        stop();
        setWebcam({ error: CAMERA_DISCONNECTED });
      });
    } catch (error) {
      stop();
      setWebcam({ error: describeCameraError(error) });
    }
  };

  // A new model (trained again, fine-tuned, opened): results of the old one are not shown under its names.
  useEffect(() => {
    usePredictionStore.setState((s) => ({ webcam: { ...s.webcam, label: null, confidence: null, ranked: [] } }));
  }, [model]);

  useEffect(() => {
    const onHide = () => {
      if (document.hidden && running.current) stop();
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      running.current = false;
      closeCamera(stream.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Labels always come from the current model; a frame scored by another model (other class count) is not shown.
  const ranked = webcam.ranked.length === names.length ? webcam.ranked : [];
  const top = ranked[0];
  const label = top ? (names[top.classIndex] ?? null) : null;
  const unsure = top !== undefined && top.probability < threshold;
  return (
    <div className="webcam">
      <div className="actions actions--start">
        <button type="button" className="button" data-testid="webcam-toggle" aria-pressed={webcam.on} onClick={() => (webcam.on ? stop() : void start())}>
          {webcam.on ? 'Stop camera' : 'Start camera'}
        </button>
        {cameras.length > 1 && (
          <select aria-label="Camera" value={deviceId ?? ''} onChange={(e) => setDeviceId(e.target.value || null)} disabled={webcam.on}>
            <option value="">Default camera</option>
            {cameras.map((c, i) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label || `Camera ${i + 1}`}
              </option>
            ))}
          </select>
        )}
        <label className="inline-field">
          <input type="checkbox" checked={mirror} onChange={(e) => setMirror(e.target.checked)} /> Mirror
        </label>
        {webcam.fps !== null && <span className="hint">{webcam.fps.toFixed(1)} frames/s</span>}
      </div>
      {webcam.error && (
        <p className="error" role="alert" data-testid="webcam-error">
          {webcam.error}
        </p>
      )}
      <div className="webcam__view" hidden={!webcam.on}>
        <video ref={video} playsInline muted className={mirror ? 'mirrored' : ''} />
        <div className="webcam__result" aria-live="polite">
          <p className="webcam__label" data-testid="webcam-label" data-confidence={top?.probability ?? ''} data-label={label ?? ''}>
            {label ? (unsure ? 'Not sure' : label) : '…'}
          </p>
          <ul className="bars">
            {ranked.slice(0, 5).map((r) => (
              <li key={r.classIndex}>
                <span className="bars__fill" style={{ width: `${r.probability * 100}%` }} />
                <span className="bars__label">{names[r.classIndex]}</span>
                <span>{(r.probability * 100).toFixed(0)}%</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
