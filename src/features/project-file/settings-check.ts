import { checkTrainSettings, DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../ml/head/settings';
import { obj, reject } from './json-check';

/** Training settings from a project file: the known keys only, each within the app's limits. */
export function readSettings(v: unknown, what: string): TrainSettings {
  const o = obj(v, what);
  const out = { ...DEFAULT_TRAIN_SETTINGS };
  for (const key of Object.keys(DEFAULT_TRAIN_SETTINGS) as (keyof TrainSettings)[]) {
    const value = o[key];
    if (typeof value !== typeof DEFAULT_TRAIN_SETTINGS[key]) reject(`${what}.${key} is missing or of the wrong type`);
    (out as Record<string, unknown>)[key] = value;
  }
  try {
    checkTrainSettings(out);
  } catch (error) {
    reject(`${what}: ${(error as Error).message}`);
  }
  return out;
}
