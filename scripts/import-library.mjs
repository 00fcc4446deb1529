#!/usr/bin/env node
// `npm run library:import -- --server URL --token PAT`: imports the built-in action library (agent/library/*.action.yaml)
// into a Fixpoint server through POST /api/v1/actions/import. Importing again is safe: unchanged actions stay as they are,
// changed ones get a new version.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `usage: npm run library:import -- --server URL --token PAT [--only SLUG,SLUG] [--dir DIR]
  --server  the Fixpoint server, e.g. https://fixpoint.example.com
  --token   a personal access token of a user who may edit actions (or set FIXPOINT_TOKEN)
  --only    import only these slugs
  --dir     the folder holding the *.action.yaml files (default: agent/library)`;

function stop(message, code = 2) {
  console.error(message);
  process.exit(code);
}

let options;
try {
  options = parseArgs({
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      only: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  stop(`${err.message}\n${usage}`);
}
if (options.help) stop(usage, 0);
const token = options.token ?? process.env.FIXPOINT_TOKEN;
if (!options.server || !token) stop(`--server and --token are required\n${usage}`);
let endpoint;
try {
  const base = new URL(options.server);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
  // Keep a path prefix (a server behind https://host/fixpoint/) and add the route to it.
  endpoint = new URL('api/v1/actions/import', base.href.endsWith('/') ? base.href : `${base.href}/`);
} catch {
  stop(`--server must be an http:// or https:// URL, not ${options.server}`);
}

const dir = options.dir ?? new URL('../agent/library/', import.meta.url).pathname;
const only = options.only ? new Set(options.only.split(',').map((s) => s.trim()).filter(Boolean)) : null;
let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.action.yaml')).sort();
} catch (err) {
  stop(`cannot read ${dir}: ${err.message}`);
}
if (only) {
  const unknown = [...only].filter((slug) => !files.includes(`${slug}.action.yaml`));
  if (unknown.length) stop(`no such action in ${dir}: ${unknown.join(', ')}`);
  files = files.filter((f) => only.has(f.replace(/\.action\.yaml$/, '')));
}
if (!files.length) stop(`no *.action.yaml files in ${dir}`);

const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
for (const file of files) {
  let res;
  try {
    res = await globalThis.fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      body: readFileSync(join(dir, file), 'utf8'),
    });
  } catch (err) {
    stop(`cannot reach ${endpoint.origin}: ${err.cause?.message ?? err.message}`, 1);
  }
  const body = await res.json().catch(() => null);
  if (res.ok && body?.outcome) {
    counts[body.outcome] += 1;
    console.log(`${body.outcome.padEnd(9)} ${body.action.slug} (version ${body.action.latestVersion})`);
    continue;
  }
  const error = body?.error ?? { code: `http_${res.status}`, message: res.statusText };
  // A token that is wrong or lacks the permission fails every file the same way: say it once.
  if (res.status === 401 || res.status === 403) stop(`${res.status} ${error.code}: ${error.message}`, 1);
  counts.failed += 1;
  const details = error.details ? `\n  ${JSON.stringify(error.details)}` : '';
  console.error(`failed    ${file}: ${res.status} ${error.code}: ${error.message}${details}`);
}
console.log(`${files.length} actions: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
