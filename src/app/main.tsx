import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TabGate } from '../features/session/TabGate';
import { App } from './App';
import { installDebugHooks } from './debug-hooks';
import { registerServiceWorker } from './offline';
import './styles.css';

installDebugHooks();
registerServiceWorker();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <TabGate>
      <App />
    </TabGate>
  </StrictMode>,
);
