import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and committed; db/client.ts applies them at open on both drivers.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
