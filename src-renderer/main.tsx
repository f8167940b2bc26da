import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<h1>GANomaly Inspector</h1>);
