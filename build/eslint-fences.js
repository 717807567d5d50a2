// The architecture fences of docs/architecture.md, as one local ESLint rule (`fences/imports`):
// - a feature imports nothing from src/app/ (the shell is the only place features meet);
// - a feature imports another feature only through the named shared modules below;
// - a feature or store imports from src/ml/ only types, or the named tfjs-free modules below;
// - those tfjs-free ml modules import no TensorFlow.js themselves.
import { dirname, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** Feature modules other features may import (path under src/features, no extension). */
export const SHARED_FEATURE_MODULES = [
  'dataset/project-repo',
  'dataset/dataset-actions',
  'dataset/use-thumbnail',
  'prediction/predict-actions',
  'session/work-journal',
  'engine/BackbonePicker',
  'training/train-actions',
  'export/zip-read',
  'export/metadata',
];

/** ml/ modules with no TensorFlow.js that the UI may import at run time (path under src/ml). */
export const PLAIN_ML_MODULES = ['backbones/catalog', 'head/settings', 'head/metrics', 'head/split', 'finetune/settings', 'finetune/blocks'];

const strip = (p) => p.replace(/\.(tsx?|js)$/, '');

function where(file) {
  const rel = relative(SRC, file).split('\\').join('/');
  return rel.startsWith('..') ? null : rel;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'Architecture fences between src/ folders (docs/architecture.md)' } },
  create(context) {
    const from = where(context.filename);
    if (!from) return {};
    const isTest = /\.test\.tsx?$/.test(from);
    const [top, feature] = from.split('/');
    const plainMl = top === 'ml' && PLAIN_ML_MODULES.includes(strip(from.slice(3)));
    return {
      ImportDeclaration(node) {
        const spec = node.source.value;
        if (typeof spec !== 'string') return;
        if (plainMl && spec.startsWith('@tensorflow')) {
          context.report({ node, message: `${from} is one of the tfjs-free ml modules the UI imports (PLAIN_ML_MODULES in build/eslint-fences.js): no TensorFlow.js here.` });
          return;
        }
        if (!spec.startsWith('.') || isTest) return;
        const target = where(resolve(dirname(context.filename), spec));
        if (!target) return;
        const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        if (top === 'features') {
          if (target.startsWith('app/')) context.report({ node, message: `Features do not import src/app/ (${target}); the shell imports features, not the other way round.` });
          const [, otherFeature] = target.split('/');
          if (target.startsWith('features/') && otherFeature !== feature && !typeOnly && !SHARED_FEATURE_MODULES.includes(strip(target.slice('features/'.length)))) {
            context.report({ node, message: `features/${feature} imports ${target}: another feature's module that is not one of the shared ones (SHARED_FEATURE_MODULES in build/eslint-fences.js). Move it to a shared place or list it there.` });
          }
        }
        if ((top === 'features' || top === 'store' || top === 'ui') && target.startsWith('ml/') && !typeOnly && !PLAIN_ML_MODULES.includes(strip(target.slice(3)))) {
          context.report({ node, message: `${top}/ imports ${target} at run time: the UI takes only types from ml/, or the tfjs-free modules in PLAIN_ML_MODULES (build/eslint-fences.js).` });
        }
      },
    };
  },
};

export const fencesPlugin = { rules: { imports: importsRule } };
