/**
 * `npm start` runs this first (the `prestart` script): build the web client when client-demo/dist is
 * missing or older than any of its sources, so a fresh checkout serves the page without a manual step.
 * Fast when nothing changed (a stat walk, no Vite import).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtAt = (() => {
  try {
    return statSync(path.join(root, 'dist', 'index.html')).mtimeMs;
  } catch {
    return -1;
  }
})();

function newest(entry: string): number {
  const st = statSync(entry);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(entry).reduce((m, name) => Math.max(m, newest(path.join(entry, name))), st.mtimeMs);
}

const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => path.join(root, p));
const sourcesAt = Math.max(...sources.map(newest));

if (builtAt >= sourcesAt && process.argv[2] !== '--force') {
  console.log('client-demo: build is up to date');
} else {
  console.log(builtAt < 0 ? 'client-demo: building the web client…' : 'client-demo: sources changed, rebuilding…');
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts') });
  console.log('client-demo: built into client-demo/dist');
}
