import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The demo page is built into client-demo/dist and served by the Chorus server at `/`. */
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything is bundled: the page must work offline (no CDN).
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite -c client-demo/vite.config.ts`: hot reload against a server on :3000.
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
