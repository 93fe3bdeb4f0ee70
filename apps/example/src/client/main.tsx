import { GenmetaProvider } from '@genmeta/react-hooks';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('missing #root element');

createRoot(container).render(
  <StrictMode>
    <GenmetaProvider baseUrl="/api/genmeta">
      <App />
    </GenmetaProvider>
  </StrictMode>,
);
