import { selectBackbone } from '../../engine/connection';
import { BACKBONE_CHOICES, DEFAULT_BACKBONE_ID, getBackboneSpec, isBackboneId } from '../../ml/backbones/catalog';
import { useEngineStore } from '../../store/engine-store';
import { useProjectStore } from '../../store/project-store';
import { useTrainingStore } from '../../store/training-store';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The backbone `<select>`, with each option's download size and speed/accuracy trade-off.
 * Disabled while embedding, training, fine-tuning or an import runs: those use the loaded backbone.
 */
const RUNTIME_LABELS = {
  litert: 'LiteRT.js (XNNPACK, WebAssembly)',
  'tfjs-folded': 'TensorFlow.js (folded graph)',
  'tfjs-layers': 'TensorFlow.js',
  'tfjs-graph': 'TensorFlow.js',
} as const;

const DEFAULT_MEGA_MACS = getBackboneSpec(DEFAULT_BACKBONE_ID).megaMacs;

/** The two-backbone setting's speed cost, said before anything is embedded or trained. */
function EmbedCost({ megaMacs }: { megaMacs: number }) {
  return (
    <span data-testid="backbone-cost">
      Embedding every photo takes about {(megaMacs / DEFAULT_MEGA_MACS).toFixed(1)}x as long as with the default backbone; it cannot be fine-tuned.{' '}
    </span>
  );
}

export function BackbonePicker() {
  const backboneId = useEngineStore((s) => s.backboneId);
  const phase = useTrainingStore((s) => s.phase);
  const importing = useProjectStore((s) => s.importing !== null);
  const busy = phase === 'embedding' || phase === 'training' || phase === 'finetuning' || importing;
  const status = useEngineStore((s) => s.status);
  const loadMs = useEngineStore((s) => s.backboneLoadMs);
  const runtime = useEngineStore((s) => s.embedRuntime);
  const threads = useEngineStore((s) => s.embedThreads);
  const spec = getBackboneSpec(backboneId);
  return (
    <div className="field">
      <label htmlFor="backbone">Pretrained model (backbone)</label>
      <select
        id="backbone"
        data-testid="backbone-select"
        value={backboneId}
        disabled={busy}
        title={busy ? 'The backbone cannot change while photos are imported, embedded or trained.' : undefined}
        onChange={(e) => {
          if (isBackboneId(e.target.value)) void selectBackbone(e.target.value);
        }}
      >
        {BACKBONE_CHOICES.map((b) => (
          <option key={b.id} value={b.id}>
            {b.label} · {mb(b.downloadBytes)} · {b.megaMacs}M ops · {(b.clothingAccuracy * 100).toFixed(0)}%
          </option>
        ))}
      </select>
      <p className="hint">
        {spec.tradeOff} Download {mb(spec.downloadBytes)}, {spec.megaMacs} million multiply-adds per image,{' '}
        {spec.embeddingSize}-value embedding, {(spec.clothingAccuracy * 100).toFixed(1)}% on our clothing benchmark.{' '}
        {spec.parts && <EmbedCost megaMacs={spec.megaMacs} />}
        <span aria-live="polite">
          {status === 'loading-backbone' ? 'Loading…' : loadMs !== null ? `Loaded in ${(loadMs / 1000).toFixed(1)} s.` : ''}
        </span>
        {runtime && status === 'ready' && (
          <span data-testid="embed-runtime" data-value={runtime} data-threads={threads}>
            {' '}
            Embeds with {RUNTIME_LABELS[runtime]}
            {threads > 1 ? ` on ${threads} threads` : ''}.
          </span>
        )}
      </p>
    </div>
  );
}
