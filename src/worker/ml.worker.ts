/// <reference lib="webworker" />
import { expose } from 'comlink';
import { installErrorTransfer } from './error-transfer';
import { MlEngine } from './ml-engine';

installErrorTransfer();
expose(new MlEngine());
