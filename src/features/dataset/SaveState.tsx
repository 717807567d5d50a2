import { useSyncExternalStore } from 'react';
import { pendingWrites, subscribeWrites } from './project-repo';

/**
 * Whether every change is stored in this browser yet ("Saving…" while a write is in flight), so a
 * person knows when closing the tab is safe. Tests wait for `data-state="saved"` before a reload.
 */
export function SaveState() {
  const saving = useSyncExternalStore(subscribeWrites, () => pendingWrites() > 0);
  return (
    <span className="save-state" data-testid="save-state" data-state={saving ? 'saving' : 'saved'}>
      {saving ? 'Saving…' : 'Saved in this browser'}
    </span>
  );
}
