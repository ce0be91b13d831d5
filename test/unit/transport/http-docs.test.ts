import { describe, expect, it } from 'vitest';
import { httpFixture } from './http-fixtures.ts';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { security?: Record<string, string[]>[]; responses: Record<string, unknown> }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

describe('GET /openapi.json', () => {
  const f = httpFixture();
  const doc = async () => (await (await f.get('/openapi.json')).json()) as OpenApiDoc;

  it('documents every API route the app serves', async () => {
    const { paths } = await doc();
    // The app's own route table is the truth; middleware (ALL) and the docs themselves are not API.
    const served = f.app.routes
      .filter((r) => r.method !== 'ALL' && /^\/(api|health|metrics)(\/|$)/.test(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(served.length).toBeGreaterThanOrEqual(14);
    expect(new Set(documented)).toEqual(new Set(served));
    for (const route of [
      'post /api/guests',
      'post /api/rooms',
      'get /api/rooms/{code}',
      'get /api/tracks',
      'get /api/tracks/genres',
      'get /api/tracks/{id}',
      'get /health',
      'get /api/recommendations/user/{userId}',
      'get /api/recommendations/group/{code}',
      'get /api/compatibility/score',
      'post /api/preferences/update',
      'get /api/models',
      'post /api/models/{version}/activate',
      'post /api/models/snapshot',
      'get /metrics',
    ]) {
      expect(documented).toContain(route);
    }
  });

  it('declares the bearer and admin schemes and uses them on the protected routes', async () => {
    const d = await doc();
    expect(d.openapi).toMatch(/^3\./);
    expect(d.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(d.components.securitySchemes['admin']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(d.paths['/api/preferences/update']?.['post']?.security).toEqual([{ bearer: [] }]);
    expect(d.paths['/api/rooms']?.['post']?.security).toEqual([{ bearer: [] }]);
    expect(d.paths['/api/models/snapshot']?.['post']?.security).toEqual([{ admin: [] }]);
    expect(d.paths['/api/models/{version}/activate']?.['post']?.responses).toHaveProperty('404');
  });
});

describe('GET /docs', () => {
  const f = httpFixture();

  it('is an HTML page whose scripts and styles are all served locally', async () => {
    const res = await f.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/docs\//);
      const asset = await f.get(ref);
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, ref).toBeGreaterThan(0);
    }
    const init = await (await f.get('/docs/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only the listed assets', async () => {
    expect((await f.get('/docs/package.json')).status).toBe(404);
    expect((await f.get('/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});
