import { useSyncExternalStore } from 'react';
import { saveIndicator } from './save-indicator';

/**
 * Whether every change is stored in this browser yet ("Saving…" while a write is in flight, and
 * until none has been for a moment: save-indicator.ts), so a person knows when closing the tab is
 * safe. Both texts sit in one grid cell, the other one invisible, so the switch never moves the
 * page (it moved the class cards by a line: a button could slip from under the pointer).
 * Tests wait for `data-state="saved"` before a reload.
 */
export function SaveState() {
  const saving = useSyncExternalStore(saveIndicator.subscribe, saveIndicator.saving);
  return (
    <span className="save-state" data-testid="save-state" data-state={saving ? 'saving' : 'saved'}>
      <span className={saving ? undefined : 'save-state__off'}>Saving…</span>
      <span className={saving ? 'save-state__off' : undefined}>Saved in this browser</span>
    </span>
  );
}
