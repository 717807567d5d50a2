import { TRAIN_SETTING_HELP, TRAIN_SETTING_LIMITS, type TrainSettings } from '../../ml/head/settings';
import { useTrainingStore } from '../../store/training-store';
import { updateSettings } from './train-actions';

type NumericKey = keyof typeof TRAIN_SETTING_LIMITS;

const LABELS: Record<keyof TrainSettings, string> = {
  epochs: 'Epochs',
  batchSize: 'Batch size (0 = automatic)',
  learningRate: 'Learning rate',
  hiddenUnits: 'Hidden units',
  dropout: 'Dropout',
  validationFraction: 'Validation fraction',
  seed: 'Split seed',
  earlyStoppingPatience: 'Early-stopping patience',
  classWeighting: 'Class weights',
};

/** The "Advanced" training settings, each with a one-line explanation. */
export function SettingsForm({ disabled }: { disabled: boolean }) {
  const settings = useTrainingStore((s) => s.settings);
  const numeric = Object.keys(TRAIN_SETTING_LIMITS) as NumericKey[];
  return (
    <details className="advanced">
      <summary>Advanced settings</summary>
      <div className="settings-grid">
        {numeric.map((key) => {
          const limits = TRAIN_SETTING_LIMITS[key];
          return (
            <div className="field" key={key}>
              <label htmlFor={`setting-${key}`}>{LABELS[key]}</label>
              <input
                id={`setting-${key}`}
                type="number"
                min={limits.min}
                max={limits.max}
                step={limits.step}
                value={settings[key]}
                disabled={disabled}
                aria-describedby={`help-${key}`}
                onChange={(e) => {
                  const v = Number(e.target.value);
                  if (Number.isFinite(v)) updateSettings({ [key]: Math.min(limits.max, Math.max(limits.min, v)) } as Partial<TrainSettings>);
                }}
              />
              <p className="hint" id={`help-${key}`}>
                {TRAIN_SETTING_HELP[key]}
              </p>
            </div>
          );
        })}
        <div className="field">
          <label htmlFor="setting-classWeighting">{LABELS.classWeighting}</label>
          <select
            id="setting-classWeighting"
            value={settings.classWeighting}
            disabled={disabled}
            aria-describedby="help-classWeighting"
            onChange={(e) => updateSettings({ classWeighting: e.target.value as TrainSettings['classWeighting'] })}
          >
            <option value="auto">Auto (on when classes are unbalanced)</option>
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
          <p className="hint" id="help-classWeighting">
            {TRAIN_SETTING_HELP.classWeighting}
          </p>
        </div>
      </div>
    </details>
  );
}
