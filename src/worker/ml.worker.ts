/// <reference lib="webworker" />
import { expose } from 'comlink';
import { installErrorTransfer } from './error-transfer';
import { MlEngine } from './ml-engine';

installErrorTransfer();
// `exit` (the silent-exit fault) closes this worker: no error event, only silence.
expose(new MlEngine(undefined, () => self.close()));
