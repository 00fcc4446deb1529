/**
 * A client generated from the served OpenAPI document, as an integrator would make one: openapi-typescript writes
 * the types from `/api/openapi.json` of a running backend, a small openapi-fetch program uses them (a token from a
 * sign-in, the device list, a launch, the launch request), TypeScript checks that program against the generated
 * types, and then it runs against the backend.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAction } from '../testing/actions';
import { seedAction } from '../testing/fleet';
import { adminPassword, startLiveBackend, type LiveBackend } from '../testing/live';
import { insertDevice } from '../testing/campaigns';

// Inside the repository, so the generated program resolves openapi-fetch from its node_modules.
const dir = join(new URL('../../../node_modules/.cache/', import.meta.url).pathname, `openapi-client-${process.pid}`);

/** What the integrator writes: typed by the generated `paths`, so a wrong path, parameter or field fails tsc. */
const program = `
import createClient from 'openapi-fetch';
import type { paths } from './schema';

export async function walk(baseUrl: string, email: string, password: string) {
  const anonymous = createClient<paths>({ baseUrl });
  const signedIn = await anonymous.POST('/api/v1/auth/login', { body: { email, password } });
  if (!signedIn.data) throw new Error('sign-in: ' + signedIn.response.status);
  const cookie = signedIn.response.headers.get('set-cookie')!.split(';')[0]!;
  const created = await anonymous.POST('/api/v1/tokens', { body: { name: 'integration', expiresInSec: 3600 }, headers: { cookie } });
  if (!created.data) throw new Error('token: ' + created.response.status);

  const api = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + created.data.token } });
  const me = await api.GET('/api/v1/auth/me');
  const devices = await api.GET('/api/v1/devices', { params: { query: { limit: 10 } } });
  const deviceId: string = devices.data!.items[0]!.id;
  const launched = await api.POST('/api/v1/executions', { body: { action: 'clear-dns-cache', devices: [deviceId], parameters: { Reason: 'ticket 4711' } } });
  if (!launched.data) throw new Error('launch: ' + JSON.stringify(launched.error));
  const request = await api.GET('/api/v1/requests/{id}', { params: { path: { id: launched.data.requestId } } });
  const queued: number = request.data!.counts.queued;
  return { me: me.data!.email, devices: devices.data!.total, launched: launched.data.executions.length, queued, total: request.data!.total };
}
`;

let live: LiveBackend;
beforeAll(async () => {
  live = await startLiveBackend();
  await seedAction(live.backend.ctx, sampleAction());
  await insertDevice({ ctx: live.backend.ctx }, { name: 'pc-integration' });
  mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  await live?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated client', () => {
  it('generates types from /api/openapi.json, typechecks a program on them, and runs it', async () => {
    const doc = await (await fetch(`${live.url}/api/openapi.json`)).text();
    const types = astToString(await openapiTS(doc));
    expect(types).toContain('"/api/v1/requests/{id}"');
    writeFileSync(join(dir, 'schema.ts'), types);
    writeFileSync(join(dir, 'walk.ts'), program);

    const checked = ts.createProgram([join(dir, 'walk.ts')], {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(checked).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    // The same program, with a mistake an integrator could make, is refused: the check has teeth.
    writeFileSync(join(dir, 'wrong.ts'), program.replace("'/api/v1/requests/{id}'", "'/api/v1/request/{id}'"));
    const wrong = ts.createProgram([join(dir, 'wrong.ts')], checked.getCompilerOptions(), undefined, checked);
    expect(ts.getPreEmitDiagnostics(wrong).length).toBeGreaterThan(0);

    const { walk } = (await import(pathToFileURL(join(dir, 'walk.ts')).href)) as { walk: (u: string, e: string, p: string) => Promise<unknown> };
    expect(await walk(live.url, 'admin@fixpoint.local', adminPassword)).toEqual({ me: 'admin@fixpoint.local', devices: 1, launched: 1, queued: 1, total: 1 });
  }, 240_000); // two TypeScript programs, on a shared machine
});
