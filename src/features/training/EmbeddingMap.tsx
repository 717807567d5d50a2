import { useEffect, useState } from 'react';
import { imageById, useProjectStore } from '../../store/project-store';
import type { TrainedModel } from '../../store/training-store';
import { moveImage, removeImage } from '../dataset/dataset-actions';
import { useThumbnail } from '../dataset/use-thumbnail';
import { embeddingMap, type MapPoint } from './embedding-map-data';

const W = 640;
const H = 360;
const PAD = 12;
/** Class colours (cycled past ten classes). */
const PALETTE = ['#3b5bdb', '#e8590c', '#2f9e44', '#c2255c', '#7048e8', '#1098ad', '#f08c00', '#5c940d', '#d6336c', '#495057'];
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The photo under the pointer or picked, with Move/Remove for a picked one. */
function PointCard({ point, names, classIds, picked, onClose }: { point: MapPoint; names: string[]; classIds: string[]; picked: boolean; onClose: () => void }) {
  const image = useProjectStore((s) => imageById(s.images, point.imageId));
  const url = useThumbnail(image?.hash ?? '');
  if (!image) return null;
  return (
    <figure className="map-card" data-testid="embedding-map-card" data-image={image.name}>
      {url ? <img src={url} alt={image.name} width={88} height={88} /> : <div className="thumb__placeholder" />}
      <figcaption>
        <strong>{names[point.classIndex]}</strong> · {image.name}
        {point.mistake && <span className="hint"> · validation got it wrong</span>}
        {picked && (
          <span className="map-card__actions">
            <label>
              Move to{' '}
              <select aria-label="Move this photo to" value="" onChange={(e) => void moveImage(image.id, e.target.value).then(onClose)}>
                <option value="">…</option>
                {names.map((n, i) =>
                  i === point.classIndex ? null : (
                    <option key={classIds[i]} value={classIds[i]}>
                      {n}
                    </option>
                  ),
                )}
              </select>
            </label>
            <button type="button" className="link link--danger" onClick={() => void removeImage(image.id).then(onClose)}>
              Remove
            </button>
            <button type="button" className="link" onClick={onClose}>
              Close
            </button>
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/**
 * A 2-D map of the photos' embeddings (PCA): one dot per photo, coloured by class, validation
 * mistakes ringed. Outliers and mislabelled photos stand out; hover shows the photo, a click
 * picks it for Move/Remove. Hook: `embedding-map` (`data-points` = dots drawn).
 */
export function EmbeddingMap({ model }: { model: TrainedModel }) {
  const images = useProjectStore((s) => s.images);
  // The map of the model it was computed for: a new model shows "Drawing…" until its own is ready.
  const [result, setResult] = useState<{ model: TrainedModel; points: MapPoint[] } | null>(null);
  const [hover, setHover] = useState<MapPoint | null>(null);
  const [picked, setPicked] = useState<MapPoint | null>(null);
  useEffect(() => {
    let live = true;
    embeddingMap(model, useProjectStore.getState().images, pause).then(
      (points) => live && setResult({ model, points }),
      () => live && setResult({ model, points: [] }),
    );
    return () => {
      live = false;
    };
  }, [model]);
  const points = result?.model === model ? result.points : null;
  if (points === null) return <p className="hint">Drawing the map of your photos…</p>;
  if (points.length === 0) return null;
  const present = new Set(images.map((im) => im.id));
  const shown = points.filter((p) => present.has(p.imageId));
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of shown) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const sy = (y: number) => H - PAD - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * PAD);
  const card = picked ?? hover;
  return (
    <div className="embedding-map">
      <h3>Map of your photos</h3>
      <p className="hint">
        Each dot is a photo, placed by its features (the two main directions, PCA); colour is its class, a ring marks a validation mistake. Dots far
        from their colour are often mislabelled or unusual: point at one to see it, click to move or remove it.
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="embedding-map__plot"
        data-testid="embedding-map"
        data-points={shown.length}
        role="img"
        aria-label={`Map of ${shown.length} photos in ${model.classNames.length} classes`}
        onMouseLeave={() => setHover(null)}
      >
        {shown.map((p) => (
          <circle
            key={p.imageId}
            cx={sx(p.x)}
            cy={sy(p.y)}
            r={p.mistake ? 5 : 3.5}
            fill={PALETTE[p.classIndex % PALETTE.length]}
            stroke={p.mistake ? '#111' : 'none'}
            strokeWidth={p.mistake ? 2 : 0}
            data-testid="embedding-map-point"
            data-mistake={p.mistake}
            onMouseEnter={() => setHover(p)}
            onClick={() => setPicked(p)}
          />
        ))}
      </svg>
      <ul className="embedding-map__legend">
        {model.classNames.map((n, i) => (
          <li key={model.classIds[i]}>
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} /> {n}
          </li>
        ))}
      </ul>
      {card && <PointCard point={card} names={model.classNames} classIds={model.classIds} picked={card === picked} onClose={() => setPicked(null)} />}
    </div>
  );
}
