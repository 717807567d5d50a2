import { getBackboneSpec, type BackboneId } from './catalog';
import { GraphBackbone } from './graph-backbone';
import { LayersBackbone } from './layers-backbone';
import type { Backbone, ModelSource } from './types';

/** Makes the right Backbone implementation for `id`; call `load()` on it before use. */
export function createBackbone(id: BackboneId, source: ModelSource): Backbone {
  const spec = getBackboneSpec(id);
  return spec.format === 'graph' ? new GraphBackbone(spec, source) : new LayersBackbone(spec, source);
}
