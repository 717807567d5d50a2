import { describeError } from '../../lib/errors';
import { filesFromDataTransfer, filesFromInput } from '../../platform/folder-walk';
import { useEngineStore } from '../../store/engine-store';
import { DropZone } from '../../ui/DropZone';
import { useProbeStore, type ProbeItem } from './probe-store';
import { probeFiles } from './run-probe';

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

function ProbeCard({ item }: { item: ProbeItem }) {
  return (
    <li className="probe-card" data-testid="probe-result" data-status={item.status} data-file={item.path}>
      <img src={item.previewUrl} alt="" className="probe-card__img" />
      <div className="probe-card__body">
        <p className="probe-card__name">{item.path}</p>
        {item.status === 'pending' && <p className="hint">Embedding…</p>}
        {item.status === 'error' && item.error && <p className="error">{describeError(item.error)}</p>}
        {item.status === 'done' && (
          <>
            <p>
              Embedding: <strong data-testid="embedding-size" data-value={item.embeddingSize}>{item.embeddingSize}</strong>{' '}
              values in <strong data-testid="embedding-ms" data-value={item.embedMs}>{item.embedMs?.toFixed(0)} ms</strong>{' '}
              <span className="hint">(decode {item.decodeMs?.toFixed(0)} ms, norm {item.embeddingNorm?.toFixed(2)})</span>
            </p>
            {item.imagenet && item.imagenet.length > 0 ? (
              <ol className="guesses" aria-label="What the pretrained network sees" data-testid="imagenet-top5">
                {item.imagenet.map((g) => (
                  <li key={g.label} data-label={g.label} data-value={g.probability}>
                    <span className="guesses__bar" style={{ width: pct(g.probability) }} />
                    <span className="guesses__label">{g.label.split(',')[0]}</span> <span>{pct(g.probability)}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="hint">This backbone ships without its ImageNet head, so it names no ImageNet classes.</p>
            )}
          </>
        )}
      </div>
    </li>
  );
}

/** First screen: drop or pick photos and see each embedded, with the base model's guesses. */
export function ProbeScreen() {
  const items = useProbeStore((s) => s.items);
  const ready = useEngineStore((s) => s.status === 'ready');
  return (
    <section className="panel" aria-labelledby="probe-title">
      <h2 id="probe-title">Try the pretrained network</h2>
      <p>
        Drop a photo or a folder of photos. Each is embedded in your browser (nothing is uploaded) and you see the
        embedding the classifier will learn from, plus what the ImageNet network thinks it shows.
      </p>
      <DropZone
        label="Drop photos or folders here"
        testId="probe-drop"
        onDrop={(data) => void filesFromDataTransfer(data).then(probeFiles)}
      >
        <p className="drop-zone__title">Drop photos or a folder here</p>
        <div className="actions">
          <label className="button">
            Choose photos
            <input
              type="file"
              accept="image/*"
              multiple
              className="visually-hidden"
              data-testid="probe-input"
              onChange={(e) => {
                void probeFiles(filesFromInput(e.target.files));
                e.target.value = '';
              }}
            />
          </label>
          {!ready && <span className="hint">The model is loading; photos wait for it.</span>}
        </div>
      </DropZone>
      {items.length > 0 && (
        <ul className="probe-list" aria-live="polite">
          {items.map((it) => (
            <ProbeCard key={it.id} item={it} />
          ))}
        </ul>
      )}
    </section>
  );
}
