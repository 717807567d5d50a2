/** Settings for training a classifier head on frozen embeddings: defaults, limits, help text. */

/** How the loss weighs classes: 'auto' turns weighting on when the largest class has over 1.5x the images of the smallest. */
export type ClassWeighting = 'auto' | 'on' | 'off';

/** Everything that decides how a head is trained; plain data, structured-cloneable. */
export interface TrainSettings {
  /** Passes over the training images, >= 1. */
  epochs: number;
  /** Images per gradient step, >= 1; 0 = automatic (`effectiveBatch`). */
  batchSize: number;
  /** Adam step size, > 0 (typically 1e-4 to 1e-2). */
  learningRate: number;
  /** Width of the hidden ReLU layer; 0 = no hidden layer (a linear classifier). */
  hiddenUnits: number;
  /** Fraction of hidden values zeroed at random while training, in [0, 1). */
  dropout: number;
  /** Fraction of each class's images held out to check the model, in [0, 1); 0 = none. */
  validationFraction: number;
  /** 32-bit unsigned integer that fixes the split, the starting weights, the shuffling and dropout. */
  seed: number;
  /** Epochs without validation-loss improvement before training stops (best epoch kept); 0 = off. */
  earlyStoppingPatience: number;
  classWeighting: ClassWeighting;
}

/** The keys of TrainSettings whose values are numbers. */
export type NumericTrainSetting = {
  [K in keyof TrainSettings]: TrainSettings[K] extends number ? K : never;
}[keyof TrainSettings];

/** Range and slider step of a numeric setting (inclusive bounds). */
export interface SettingLimits {
  min: number;
  max: number;
  step: number;
}

/**
 * Defaults chosen by measurement on real photos (bench/head-recipes.ts, bench/RESULTS.md
 * "Head recipes (issue 5)"): recipe `h128-d0.3-p10-lr5e-4-e100`, the most accurate measured, and at
 * least as accurate as the Keras tutorial's and Teachable Machine's recipes on both photo sets.
 * Early stopping usually ends training after 20-40 of the 100 epochs.
 */
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  epochs: 100,
  batchSize: 0,
  learningRate: 0.0005,
  hiddenUnits: 128,
  dropout: 0.3,
  validationFraction: 0.15,
  seed: 42,
  earlyStoppingPatience: 10,
  classWeighting: 'auto',
};

/** One plain-language sentence per setting, for people who do not do machine learning. */
export const TRAIN_SETTING_HELP: Record<keyof TrainSettings, string> = {
  epochs: 'How many times training looks at every photo; more can help, but training takes longer.',
  batchSize: 'How many photos the model looks at before each small adjustment; 0 = automatic (32, or 128 from 1,000 training photos, which trains about twice as fast).',
  learningRate: 'How big each adjustment is: too high and training jumps around, too low and it learns slowly.',
  hiddenUnits: 'How much the model can learn beyond a simple rule (0 = the simplest model); bigger is not always better.',
  dropout: 'How much random forgetting is used while training so the model does not just memorise your photos.',
  validationFraction: 'The share of each category set aside to check the model on photos it never trained on.',
  seed: 'A number that makes training repeatable: the same photos, settings and seed give the same model.',
  earlyStoppingPatience: 'Stop when the check photos have not improved for this many rounds and keep the best round (0 = never stop early).',
  classWeighting: 'Give categories with fewer photos more say so the model does not simply favour the biggest ones.',
};

/** Allowed range and step of each numeric setting, for sliders and for checkTrainSettings. */
export const TRAIN_SETTING_LIMITS: Record<NumericTrainSetting, SettingLimits> = {
  epochs: { min: 1, max: 500, step: 1 },
  batchSize: { min: 0, max: 512, step: 1 },
  learningRate: { min: 0.00001, max: 0.1, step: 0.00001 },
  hiddenUnits: { min: 0, max: 1024, step: 1 },
  dropout: { min: 0, max: 0.9, step: 0.05 },
  validationFraction: { min: 0, max: 0.5, step: 0.05 },
  seed: { min: 0, max: 4294967295, step: 1 },
  earlyStoppingPatience: { min: 0, max: 100, step: 1 },
};

const INTEGER_SETTINGS: readonly NumericTrainSetting[] = ['epochs', 'batchSize', 'hiddenUnits', 'seed', 'earlyStoppingPatience'];

/** Throws a RangeError naming the first setting that is outside TRAIN_SETTING_LIMITS (or not an integer where it must be). */
export function checkTrainSettings(settings: TrainSettings): void {
  for (const [key, { min, max }] of Object.entries(TRAIN_SETTING_LIMITS) as [NumericTrainSetting, SettingLimits][]) {
    const value = settings[key];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(`Setting ${key} = ${value} is outside [${min}, ${max}]`);
    }
    if (INTEGER_SETTINGS.includes(key) && !Number.isInteger(value)) {
      throw new RangeError(`Setting ${key} = ${value} must be a whole number`);
    }
  }
  if (!['auto', 'on', 'off'].includes(settings.classWeighting)) {
    throw new RangeError(`Setting classWeighting = ${String(settings.classWeighting)} must be auto, on or off`);
  }
}

/** From this many training photos the automatic batch is 128 instead of 32. */
export const AUTO_LARGE_BATCH_FROM = 1000;

/**
 * The batch size and learning rate a training run uses. A set batch size is used as is. Automatic
 * (0): 32, or 128 from AUTO_LARGE_BATCH_FROM training photos with the learning rate scaled by
 * sqrt(128 / 32) = 2. Measured (bench/RESULTS.md "Larger batches"): on clothing-small (2,600
 * training photos) and sign-digits (1,400), batch 128 with Adam 1e-3 is as accurate as 32 with 5e-4
 * (-0.1 +- 0.4 and -0.1 +- 0.1 points, 6 seeds) and trains twice as fast; below ~1,000 photos a
 * batch of 128 would be only a few steps an epoch.
 */
export function effectiveBatch(settings: Pick<TrainSettings, 'batchSize' | 'learningRate'>, trainCount: number): { batchSize: number; learningRate: number } {
  if (settings.batchSize > 0) return { batchSize: settings.batchSize, learningRate: settings.learningRate };
  const batchSize = trainCount >= AUTO_LARGE_BATCH_FROM ? 128 : 32;
  return { batchSize, learningRate: settings.learningRate * Math.sqrt(batchSize / 32) };
}
