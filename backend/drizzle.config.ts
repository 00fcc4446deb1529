import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
  // drizzle-kit push asks before any statement that can lose data; generate is unaffected.
  strict: true,
});
