/**
 * The OpenAPI document (/openapi.json) and a Swagger UI page (/docs) served from the swagger-ui-dist
 * package in node_modules: the docs work offline and behind firewalls, no CDN involved.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import pkg from '../../../package.json' with { type: 'json' };
import { ADMIN, BEARER } from './openapi.ts';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Only these files are served, by name: nothing else under node_modules is reachable. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
// A separate script file rather than an inline one, so a strict Content-Security-Policy can stay on.
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Chorus HTTP API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const asset = (name: string) => {
  let file = cache.get(name);
  if (!file) {
    file = readFile(path.join(SWAGGER_DIR, name)).then((b) => new Uint8Array(b));
    // A failed read is not cached: the next request tries again.
    file.catch(() => cache.delete(name));
    cache.set(name, file);
  }
  return file;
};

/** Registers the security schemes and serves the document and the docs page on the root app. */
export function mountDocs(app: OpenAPIHono) {
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A guest token from POST /api/guests',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', ADMIN, {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token configured as CHORUS_ADMIN_TOKEN',
  });
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Chorus HTTP API',
      version: pkg.version,
      description:
        'Guests, rooms, catalog, recommendations, model registry and operations. Errors are `{error:{code,message}}`; ' +
        'the real-time protocol (socket.io) is described in docs/protocol.md.',
    },
  });
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:file', async (c) => {
    const name = c.req.param('file');
    const type = ASSETS[name];
    if (!type) throw new AppError('NOT_FOUND', 'no such file');
    return c.body(await asset(name), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
