import { create } from 'zustand';

/** Page-level notices that belong to no step: work a reload or a crash interrupted. */
export interface SessionState {
  interrupted: string[];
}

export const useSessionStore = create<SessionState>(() => ({ interrupted: [] }));
