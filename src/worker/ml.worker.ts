/// <reference lib="webworker" />
import { expose } from 'comlink';
import { MlEngine } from './ml-engine';

expose(new MlEngine());
