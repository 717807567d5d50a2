import { create } from 'zustand';

/** The project-file panel's state. */
export interface ProjectFileState {
  /** What is happening now ("Reading photos: 50 of 120"), or null when idle. */
  busy: string | null;
  error: string | null;
  /** What the last action did, in plain words. */
  notice: string | null;
}

/** Saving and opening project files. */
export const useProjectFileStore = create<ProjectFileState>(() => ({ busy: null, error: null, notice: null }));
