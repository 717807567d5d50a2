import { cloneModel } from '../ml/finetune/split-model';
import { setWeightsByName, weightsOfLayers } from '../ml/finetune/tuned-weights';
import { headFromArtifact, headToArtifact, type HeadArtifact } from '../ml/head/head-artifact';
import { trainHead } from '../ml/head/train-head';
import { LayersBackbone } from '../ml/backbones/layers-backbone';
import { loadClassifier } from '../ml/export/load-classifier';
import type { BackboneService } from './backbone-service';
import type { DebugGates } from './debug-gates';
import { runFineTuneJob } from './finetune-job';
import type { ModelLock } from './model-lock';
import type { ModelState } from './model-state';
import { atMostEvery } from '../lib/every';
import { BATCH_PROGRESS_MS } from './ml-api';
import type {
  FineTuneOutcome,
  FineTuneProgress,
  FineTuneRequest,
  ModelFiles,
  OpenedClassifier,
  TrainOutcome,
  TrainProgress,
  TrainRequest,
  TunedBackbone,
} from './ml-api';

/**
 * Everything that changes the models: training a head, fine-tuning, installing a stored head or
 * fine-tune, opening a model. Each runs as a change on the lock (one at a time); the long work
 * happens on copies, and the old models are freed in a swap, once no read holds them.
 */
export class TrainingService {
  private stopRequested = false;

  constructor(
    private readonly lock: ModelLock,
    private readonly backbones: BackboneService,
    private readonly models: ModelState,
    private readonly gates: DebugGates,
  ) {}

  /** Asks a running training or fine-tune to stop after the current batch. */
  stop(): void {
    this.stopRequested = true;
  }

  train(request: TrainRequest, onProgress: (p: TrainProgress) => void): Promise<TrainOutcome> {
    this.stopRequested = false;
    return this.lock.change(async () => {
      await this.gates.pass('train');
      const started = performance.now();
      const result = await trainHead({
        ...request,
        onEpoch: (log) => onProgress({ kind: 'epoch', log }),
        onBatch: atMostEvery(BATCH_PROGRESS_MS, (epoch: number, fraction: number) => onProgress({ kind: 'batch', epoch, fraction }), (_, fraction) => fraction === 1),
        shouldStop: () => this.stopRequested,
        afterEpoch: () => this.gates.pass('epoch'),
      });
      await this.lock.swap(() => {
        this.models.installHead(result.model);
        this.models.installTuned(null);
        this.models.installClassifier(null);
      });
      return {
        history: result.history,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        stoppedByUser: result.stoppedByUser,
        validationProbabilities: result.validationProbabilities,
        head: headToArtifact(result.model, request.settings),
        durationMs: performance.now() - started,
      };
    });
  }

  setHead(head: HeadArtifact | null): Promise<void> {
    return this.lock.change(() =>
      this.lock.swap(() => {
        this.models.installHead(head ? headFromArtifact(head) : null);
        this.models.installTuned(null);
        this.models.installClassifier(null);
      }),
    );
  }

  fineTune(request: FineTuneRequest, onProgress: (p: FineTuneProgress) => void): Promise<FineTuneOutcome> {
    this.stopRequested = false;
    return this.lock.change(async () => {
      await this.gates.pass('finetune');
      const backbone = this.backbones.current;
      if (!(backbone instanceof LayersBackbone)) throw new Error(`${backbone.spec.label} is a graph model: it cannot be fine-tuned`);
      const previous = this.models.tuned?.backboneId === backbone.spec.id ? this.models.tuned : null;
      // Changes run one at a time, so nothing frees the embedder or head this job copies from.
      const job = await runFineTuneJob(backbone, previous?.embedder ?? backbone.embeddingModel, this.models.trainedHead, request, onProgress, () => this.stopRequested, () =>
        this.gates.pass('epoch'),
      );
      const { result, kept } = job;
      if (kept) {
        const layers = new Set([...(previous?.layers ?? []), ...result.trainableLayers]);
        await this.lock.swap(() => {
          this.models.installTuned({ backboneId: backbone.spec.id, embedder: kept.embedder, layers });
          this.models.installHead(kept.head);
        });
      }
      return {
        history: result.history,
        before: result.before,
        after: result.after,
        bestTuned: result.bestTuned,
        bestEpoch: result.bestEpoch,
        improved: result.improved,
        stoppedEarly: result.stoppedEarly,
        stoppedByUser: result.stoppedByUser,
        validationProbabilities: result.validationProbabilities,
        estimate: result.estimate,
        head: headToArtifact(this.models.trainedHead, request.headSettings),
        backbone: this.tunedBackbone(),
        durationMs: result.durationMs,
      };
    });
  }

  /** The fine-tuned backbone in use, as plain data. */
  private tunedBackbone(): TunedBackbone | null {
    const tuned = this.models.tuned;
    if (!tuned) return null;
    const layers = [...tuned.layers];
    return { backboneId: tuned.backboneId, layers, weights: weightsOfLayers(tuned.embedder, layers) };
  }

  setTunedBackbone(tuned: TunedBackbone | null): Promise<void> {
    return this.lock.change(async () => {
      if (!tuned) {
        await this.lock.swap(() => this.models.installTuned(null));
        return;
      }
      const backbone = await this.backbones.load(tuned.backboneId);
      if (!(backbone instanceof LayersBackbone)) throw new Error(`${tuned.backboneId} cannot hold fine-tuned weights`);
      const embedder = await cloneModel(backbone.embeddingModel);
      try {
        setWeightsByName(embedder, tuned.weights);
      } catch (error) {
        embedder.dispose();
        throw error;
      }
      await this.lock.swap(() => this.models.installTuned({ backboneId: tuned.backboneId, embedder, layers: new Set(tuned.layers) }));
    });
  }

  useClassifier(files: ModelFiles, inputRange: [number, number], classCount: number | null): Promise<OpenedClassifier> {
    return this.lock.change(async () => {
      const loaded = await loadClassifier(files.modelJson, files.weights, classCount);
      await this.lock.swap(() => this.models.installClassifier({ model: loaded.model, range: inputRange }));
      return { numClasses: loaded.numClasses, params: loaded.params };
    });
  }
}
