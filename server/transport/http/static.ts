/**
 * The demo web client (client-demo/, built by Vite into client-demo/dist) served at `/`. Only `/`,
 * `/index.html` and `/assets/*` are claimed, so the API, /health, /socket.io, /openapi.json, /docs and
 * /metrics can never be shadowed. Hashed assets are cached for good; the page itself is revalidated.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

export const CLIENT_DIST = fileURLToPath(new URL('../../../client-demo/dist', import.meta.url));

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Chorus</title>
<h1>Chorus is running</h1><p>The web client is not built yet: run <code>npm run build:client</code>
(<code>npm start</code> does it for you) and reload.</p></html>`;

export function staticRoutes(root: string = CLIENT_DIST) {
  // Built lazily: serveStatic complains at creation when its root is missing (tests without a build).
  let page: ReturnType<typeof serveStatic> | undefined;
  let assets: ReturnType<typeof serveStatic> | undefined;
  const built = () => existsSync(`${root}/index.html`);

  return new Hono()
    .get('/assets/*', async (c, next) => {
      if (!built()) return next();
      assets ??= serveStatic({
        root,
        onFound: (_path, ctx) => {
          ctx.header('Cache-Control', 'public, max-age=31536000, immutable');
        },
      });
      return assets(c, next);
    })
    .get('/', async (c, next) => {
      if (!built()) return c.html(NOT_BUILT, 503);
      page ??= serveStatic({
        root,
        path: 'index.html',
        onFound: (_path, ctx) => {
          ctx.header('Cache-Control', 'no-cache');
        },
      });
      return page(c, next);
    })
    .get('/index.html', (c) => c.redirect('/', 301));
}
