/** Settings of the fine-tune stage (unfreeze the backbone's top blocks and train them with the head). */
export interface FineTuneSettings {
  /** How many of the backbone's last blocks to unfreeze, >= 1. */
  blocks: number;
  /** Passes over the training images, >= 1. */
  epochs: number;
  /** Adam step size, much smaller than the head's (the pretrained weights must only move a little). */
  learningRate: number;
  /** Images per step; small, since each one now goes through convolutions. */
  batchSize: number;
  /** Random crop, left-right flip and small brightness changes of each training image, every step. */
  augment: boolean;
  /** Epochs without validation-loss improvement before stopping (best epoch kept); 0 = off. */
  patience: number;
  /** Seeds shuffling, dropout and augmentation. */
  seed: number;
}

export const DEFAULT_FINETUNE_SETTINGS: Omit<FineTuneSettings, 'blocks'> = {
  epochs: 5,
  learningRate: 1e-5,
  batchSize: 16,
  augment: false,
  patience: 2,
  seed: 42,
};

/** Throws a RangeError naming the first setting out of range. */
export function checkFineTuneSettings(s: FineTuneSettings, maxBlocks: number): void {
  const bad = (what: string) => {
    throw new RangeError(`Fine-tune setting out of range: ${what}`);
  };
  if (!Number.isInteger(s.blocks) || s.blocks < 1 || s.blocks > maxBlocks) bad(`blocks must be 1..${maxBlocks}`);
  if (!Number.isInteger(s.epochs) || s.epochs < 1 || s.epochs > 100) bad('epochs must be 1..100');
  if (!(s.learningRate > 0 && s.learningRate <= 0.01)) bad('learning rate must be in (0, 0.01]');
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1 || s.batchSize > 64) bad('batch size must be 1..64');
  if (!Number.isInteger(s.patience) || s.patience < 0 || s.patience > 100) bad('patience must be 0..100');
}
