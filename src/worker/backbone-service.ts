import { AppError } from '../lib/errors';
import { getBackboneSpec, type BackboneId, type SingleBackboneId } from '../ml/backbones/catalog';
import { hasEmbeddingModel, PairBackbone, type LayersEmbedding } from '../ml/backbones/pair-backbone';
import type { Backbone } from '../ml/backbones/types';

/** Makes an unloaded single backbone (the real one loads weights from the site; tests inject fakes). */
export type BackboneFactory = (id: SingleBackboneId) => Backbone;

/**
 * The pretrained backbones: each loaded once and kept; one of them selected. Selecting is a
 * change (the engine runs it on its queue); reading `current` is what every embedding does.
 */
export class BackboneService {
  private readonly loaded = new Map<BackboneId, Backbone>();
  private readonly loading = new Map<BackboneId, Promise<Backbone>>();
  private selected: Backbone | null = null;

  constructor(private readonly create: BackboneFactory) {}

  /**
   * A backbone, loaded once (concurrent callers share the load). The two-backbone setting loads
   * its parts as single backbones (shared with choosing them alone) and joins them.
   */
  load(id: BackboneId): Promise<Backbone> {
    const done = this.loaded.get(id);
    if (done) return Promise.resolve(done);
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.make(id).then((backbone) => {
        this.loaded.set(id, backbone);
        this.loading.delete(id);
        return backbone;
      });
      loading.catch(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async make(id: BackboneId): Promise<Backbone> {
    const spec = getBackboneSpec(id);
    if (spec.parts) return new PairBackbone(spec, await Promise.all(spec.parts.map((p) => this.load(p))));
    const backbone = this.create(id as SingleBackboneId);
    await backbone.load();
    return backbone;
  }

  /** Makes a loaded backbone the current one. */
  select(backbone: Backbone): void {
    this.selected = backbone;
  }

  /** The selected backbone. */
  get current(): Backbone {
    if (!this.selected) throw new Error('No backbone selected');
    return this.selected;
  }

  /**
   * The selected backbone, which must be `id`: a request made for one backbone is never answered
   * by another (its embeddings would be cached under the wrong key).
   */
  expect(id: BackboneId): Backbone {
    const backbone = this.current;
    if (backbone.spec.id !== id) throw new AppError('backbone-changed', `Asked for ${id}, but ${backbone.spec.id} is loaded`);
    return backbone;
  }

  /** The selected backbone when it has a layers model (exports): a layers backbone or the two-backbone setting. */
  get layers(): Backbone & LayersEmbedding {
    const backbone = this.current;
    if (!hasEmbeddingModel(backbone)) throw new Error(`${backbone.spec.label} is a graph model: TensorFlow Lite export needs one of the layers backbones.`);
    return backbone;
  }
}

/** Checks each embedding row has the backbone's embedding size before it is used or cached. */
export function checkEmbeddingRows(backbone: Backbone, rows: readonly Float32Array[], expected: number): Float32Array[] {
  if (rows.length !== expected) throw new Error(`${backbone.spec.id} returned ${rows.length} embeddings for ${expected} photos`);
  const size = backbone.spec.embeddingSize;
  const bad = rows.find((r) => r.length !== size);
  if (bad) throw new AppError('backbone-changed', `${backbone.spec.id} embeddings have ${size} values, got ${bad.length}`);
  return [...rows];
}
