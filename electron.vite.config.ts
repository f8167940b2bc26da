import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { META_CONTENT_SECURITY_POLICY } from './src-main/server/csp';

// The built page carries the app's CSP itself (file:// responses have no headers to set it on). The dev
// server is left without it: hot reload injects inline scripts.
function contentSecurityPolicy(): Plugin {
  return {
    name: 'inspector-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

// Main and preload bundle our TypeScript; native and heavy packages (better-sqlite3, sharp, tfjs)
// stay external and load from node_modules at run time.
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // The job process entry is bundled beside the main entry for utilityProcess.fork; the training
        // replica worker too, as out/main/train-worker.js, which src-main/engine/parallel/replica-worker.ts
        // finds beside (or one folder above) the chunk that holds it.
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          'job-child': resolve(__dirname, 'src-main/jobs/child.ts'),
          'train-worker': resolve(__dirname, 'src-main/engine/parallel/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        // A sandboxed preload cannot load ES modules: emit CommonJS with an explicit .cjs name, since
        // package.json says "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
});
