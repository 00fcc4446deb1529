/**
 * The bare baseline for the API benchmark: a Hono server with one GET and one POST that parses and validates a
 * JSON body against the same launch schema, and does nothing else. Prints its URL on stdout.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { LaunchRequest } from '@fixpoint/protocol';

const app = new Hono();
app.get('/ping', (c) => c.json({ ok: true }));
app.post('/launch', async (c) => {
  const parsed = LaunchRequest.safeParse(await c.req.json());
  if (!parsed.success) return c.json({ error: { code: 'validation_failed', message: parsed.error.message } }, 400);
  return c.json({ requestId: crypto.randomUUID(), executions: [] }, 202);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`running at http://127.0.0.1:${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
