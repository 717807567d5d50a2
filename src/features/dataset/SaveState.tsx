import { useSyncExternalStore } from 'react';
import { saveIndicator } from './save-indicator';

/**
 * Whether every change is stored in this browser yet ("Saving…" while a write is in flight, and
 * until none has been for a moment: save-indicator.ts), so a person knows when closing the tab is
 * safe. Tests wait for `data-state="saved"` before a reload.
 */
export function SaveState() {
  const saving = useSyncExternalStore(saveIndicator.subscribe, saveIndicator.saving);
  return (
    <span className="save-state" data-testid="save-state" data-state={saving ? 'saving' : 'saved'}>
      {saving ? 'Saving…' : 'Saved in this browser'}
    </span>
  );
}
