import { createRoute, z } from '@hono/zod-openapi';
import type { Metrics } from '../../observability/metrics.ts';
import { openApiApp } from './openapi.ts';

const scrape = createRoute({
  method: 'get',
  path: '/',
  tags: ['operations'],
  summary: 'Prometheus metrics (text exposition format); see docs/operations.md',
  responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: z.string() } } } },
});

export function metricsRoutes(deps: { metrics: Metrics }) {
  return openApiApp().openapi(scrape, async (c) =>
    c.text(await deps.metrics.render(), 200, { 'content-type': deps.metrics.contentType }),
  );
}
