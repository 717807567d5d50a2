import { create } from 'zustand';
import type { ImagenetGuess } from '../../ml/backbones/types';
import type { ErrorInfo } from '../../lib/errors';

/** One photo sent through the first screen. */
export interface ProbeItem {
  id: number;
  path: string;
  /** Object URL of the photo for display. */
  previewUrl: string;
  status: 'pending' | 'done' | 'error';
  embeddingSize?: number;
  /** L2 norm of the embedding, a quick sanity figure. */
  embeddingNorm?: number;
  decodeMs?: number;
  embedMs?: number;
  imagenet?: ImagenetGuess[];
  error?: ErrorInfo;
}

interface ProbeState {
  items: ProbeItem[];
}

/** Photos on the first screen, newest first. */
export const useProbeStore = create<ProbeState>(() => ({ items: [] }));
