import { useState } from 'react';
import { imageById, useProjectStore } from '../../store/project-store';
import type { TrainedModel } from '../../store/training-store';
import { moveImage, removeImage } from '../dataset/dataset-actions';
import { useThumbnail } from '../dataset/use-thumbnail';
import { ConfusedPairs, MATRIX_MAX_CLASSES } from './ConfusedPairs';
import { cellImageIds, confusionMax } from './confusion-cells';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function SmallThumb({ imageId, caption, children }: { imageId: string; caption: string; children?: React.ReactNode }) {
  const image = useProjectStore((s) => imageById(s.images, imageId));
  const url = useThumbnail(image?.hash ?? '');
  if (!image) return null;
  return (
    <figure className="mistake">
      {url ? <img src={url} alt={image.name} width={88} height={88} /> : <div className="thumb__placeholder" />}
      <figcaption>{caption}</figcaption>
      {children}
    </figure>
  );
}

/** Per-class precision/recall/F1, a clickable confusion matrix, and the most confident mistakes. */
export function EvaluationView({ model }: { model: TrainedModel }) {
  const [cell, setCell] = useState<[number, number] | null>(null);
  const classes = useProjectStore((s) => s.classes);
  const evaluation = model.evaluation;
  if (!evaluation) return <p className="hint">No validation photos, so there is no evaluation. Add photos or raise the validation fraction.</p>;
  const names = model.classNames;
  const cellImages = cell ? cellImageIds(model, cell) : [];
  const large = names.length > MATRIX_MAX_CLASSES;
  const max = large ? 1 : confusionMax(evaluation.confusion);
  return (
    <div className="evaluation">
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Per-class metrics">
        <table className="metrics" data-testid="class-metrics">
          <caption>Per class, on the validation photos</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
              <th scope="col">Photos</th>
            </tr>
          </thead>
          <tbody>
            {evaluation.perClass.map((m, i) => (
              <tr key={model.classIds[i]}>
                <th scope="row">{names[i]}</th>
                <td>{pct(m.precision)}</td>
                <td>{pct(m.recall)}</td>
                <td>{pct(m.f1)}</td>
                <td>{m.support}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {large ? (
        <ConfusedPairs confusion={evaluation.confusion} names={names} onPick={setCell} />
      ) : (
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Confusion matrix">
          <table className="confusion" data-testid="confusion-matrix">
            <caption>Confusion matrix: rows are the true class, columns the prediction. Click a cell to see its photos.</caption>
            <thead>
              <tr>
                <th scope="col">true \ predicted</th>
                {names.map((n, j) => (
                  <th scope="col" key={model.classIds[j]}>
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {evaluation.confusion.map((row, i) => (
                <tr key={model.classIds[i]} data-testid="confusion-row">
                  <th scope="row">{names[i]}</th>
                  {row.map((n, j) => (
                    <td key={model.classIds[j]} className={i === j ? 'diag' : n > 0 ? 'off' : ''} style={{ ['--w' as string]: n / max }}>
                      <button type="button" aria-label={`${n} ${names[i]} photos predicted as ${names[j]}`} onClick={() => setCell([i, j])} disabled={n === 0}>
                        {n}
                      </button>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cell && (
        <div className="cell-images" aria-live="polite">
          <p>
            <strong>{names[cell[0]]}</strong> predicted as <strong>{names[cell[1]]}</strong>: {cellImages.length} photo(s){' '}
            <button type="button" className="link" onClick={() => setCell(null)}>
              close
            </button>
          </p>
          <div className="mistakes">
            {cellImages.slice(0, 40).map((id) => (
              <SmallThumb key={id} imageId={id} caption="" />
            ))}
          </div>
        </div>
      )}
      {model.mistakes.length > 0 && (
        <div>
          <h3>Most confident mistakes</h3>
          <p className="hint">Often these photos are mislabelled. Move them to the right class, or remove them, then train again.</p>
          <div className="mistakes" data-testid="mistakes">
            {model.mistakes.map((m) => {
              const predicted = classes.find((c) => c.id === m.predictedClassId);
              const truth = classes.find((c) => c.id === m.trueClassId);
              return (
                <SmallThumb key={m.imageId} imageId={m.imageId} caption={`${truth?.name ?? '?'} → ${predicted?.name ?? '?'} (${pct(m.confidence)})`}>
                  <div className="mistake__actions">
                    {predicted && (
                      <button type="button" className="link" onClick={() => void moveImage(m.imageId, predicted.id)}>
                        Move to {predicted.name}
                      </button>
                    )}
                    <button type="button" className="link link--danger" onClick={() => void removeImage(m.imageId)}>
                      Remove
                    </button>
                  </div>
                </SmallThumb>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
