import { getBackboneSpec, type BackboneId } from './catalog';
import { GraphBackbone } from './graph-backbone';
import { LayersBackbone, type LayersBackboneOptions } from './layers-backbone';
import type { Backbone, ModelSource } from './types';

/**
 * Makes the right Backbone implementation for `id`; call `load()` on it before use. `options`
 * apply to the layers backbones (the TF-Hub graph model always embeds in tfjs).
 */
export function createBackbone(id: BackboneId, source: ModelSource, options: LayersBackboneOptions = {}): Backbone {
  const spec = getBackboneSpec(id);
  return spec.format === 'graph' ? new GraphBackbone(spec, source) : new LayersBackbone(spec, source, options);
}
