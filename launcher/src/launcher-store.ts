/**
 * @module
 * The launcher's state as a small signal store: device search and choice, actions, the parameter form, and the run
 * (launch, live status, final result). Components only read signals and call these verbs.
 */
import { batch, signal } from '@preact/signals';
import type { Action, ActionWithVersion, Device, Execution, ExecutionStatus } from '@fixpoint/protocol';
import { isTerminal } from '@fixpoint/protocol';
import type { LauncherApi } from './launcher-api';
import { allowsTrigger, pickDevice } from './launcher-logic';
import { initialValues, validateForm, type FormValues } from './parameter-form';

export interface RunState {
  phase: 'launching' | 'following' | 'done' | 'failed';
  requestId?: string;
  executionId?: string;
  status?: ExecutionStatus;
  execution?: Execution;
  error?: string;
}

/**
 * An action and parameter values to open the panel with (a deep link from documentation): the panel picks the
 * action once the device is found and fills the form, then waits for the user to press Launch. Secret parameters
 * are never taken from a link.
 */
export interface LauncherPreset {
  action: string;
  parameters: Readonly<Record<string, string>>;
}

export interface LauncherStoreOptions {
  trigger: 'extension' | 'manual';
  /** Delays between status reads when live status is unavailable, in ms; the last one repeats. */
  pollDelays?: readonly number[];
  /** Stop polling after this long, in ms. */
  pollLimitMs?: number;
}

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'Something went wrong';
}

/** Creates the store for one panel. Call `dispose` when the panel goes away. */
export function createLauncherStore(api: LauncherApi, options: LauncherStoreOptions) {
  const pollDelays = options.pollDelays ?? [1000, 2000, 3000, 5000, 10_000];
  const pollLimitMs = options.pollLimitMs ?? 15 * 60_000;
  const state = {
    query: signal(''),
    searching: signal(false),
    matches: signal<Device[] | null>(null),
    device: signal<Device | null>(null),
    actions: signal<Action[] | null>(null),
    loadingActions: signal(false),
    action: signal<ActionWithVersion | null>(null),
    loadingAction: signal(false),
    values: signal<FormValues>({}),
    errors: signal<Record<string, string>>({}),
    run: signal<RunState | null>(null),
    error: signal<string | null>(null),
  };
  let searchSeq = 0;
  let followSeq = 0;
  let stopFollowing: (() => void) | undefined;

  function stopRun() {
    followSeq++;
    stopFollowing?.();
    stopFollowing = undefined;
  }

  /** The device name the page showed (the panel's hint), sent with a launch for the audit. */
  let pageDevice: string | undefined;

  async function search(query: string) {
    const q = query.trim();
    state.query.value = q;
    if (!q) return;
    const seq = ++searchSeq;
    batch(() => {
      state.searching.value = true;
      state.error.value = null;
    });
    try {
      const found = await api.searchDevices(q);
      if (seq !== searchSeq) return; // a newer search (or a new ticket) replaced this one
      state.matches.value = found;
      const picked = pickDevice(found);
      if (picked) await selectDevice(picked);
      if (picked && preset && seq === searchSeq) await applyPreset(preset);
    } catch (err) {
      if (seq === searchSeq) state.error.value = messageOf(err);
    } finally {
      if (seq === searchSeq) state.searching.value = false;
    }
  }

  async function selectDevice(device: Device) {
    stopRun();
    batch(() => {
      state.device.value = device;
      state.actions.value = null;
      state.action.value = null;
      state.run.value = null;
      state.loadingActions.value = true;
      state.error.value = null;
    });
    try {
      const actions = await api.listActions(device);
      if (state.device.value === device) state.actions.value = actions;
    } catch (err) {
      state.error.value = messageOf(err);
    } finally {
      state.loadingActions.value = false;
    }
  }

  function clearDevice() {
    stopRun();
    batch(() => {
      state.device.value = null;
      state.actions.value = null;
      state.action.value = null;
      state.run.value = null;
    });
  }

  async function selectAction(slug: string) {
    stopRun();
    batch(() => {
      state.loadingAction.value = true;
      state.error.value = null;
      state.run.value = null;
    });
    try {
      const action = await api.getAction(slug);
      batch(() => {
        state.action.value = action;
        state.values.value = initialValues(action.current.parameters);
        state.errors.value = {};
      });
    } catch (err) {
      state.error.value = messageOf(err);
    } finally {
      state.loadingAction.value = false;
    }
  }

  async function applyPreset(p: LauncherPreset) {
    if (!state.actions.value?.some((a) => a.slug === p.action)) {
      state.error.value = `The link opens the action ${p.action}, which you may not run on this device.`;
      return;
    }
    await selectAction(p.action);
    const action = state.action.value;
    if (!action || action.slug !== p.action) return;
    const values = { ...state.values.value };
    for (const decl of action.current.parameters) {
      const given = p.parameters[decl.name];
      if (given === undefined || decl.secret) continue;
      values[decl.name] = decl.type === 'bool' ? given === 'true' : given;
    }
    state.values.value = values;
  }

  function closeAction() {
    stopRun();
    batch(() => {
      state.action.value = null;
      state.run.value = null;
      state.errors.value = {};
    });
  }

  /** Back to the form after a run (the run keeps going on the device). */
  function clearRun() {
    stopRun();
    state.run.value = null;
  }

  function setValue(name: string, value: string | boolean) {
    state.values.value = { ...state.values.value, [name]: value };
    if (state.errors.value[name]) {
      const { [name]: _gone, ...rest } = state.errors.value;
      state.errors.value = rest;
    }
  }

  /** Validates and launches; returns false when the form has errors (shown per field). */
  async function launch(): Promise<boolean> {
    const action = state.action.value;
    const device = state.device.value;
    if (!action || !device || state.run.value?.phase === 'launching') return false;
    if (!allowsTrigger(action, options.trigger)) {
      state.error.value = `${action.name} cannot be started from here`;
      return false;
    }
    const check = validateForm(action.current.parameters, state.values.value);
    if (!check.ok) {
      state.errors.value = check.errors;
      return false;
    }
    stopRun();
    state.run.value = { phase: 'launching' };
    // Secrets are not kept once sent.
    const secrets = action.current.parameters.filter((p) => p.secret).map((p) => p.name);
    if (secrets.length) state.values.value = { ...state.values.value, ...Object.fromEntries(secrets.map((n) => [n, ''])) };
    try {
      const res = await api.launch({ action: action.slug, deviceId: device.id, parameters: check.values, ...(pageDevice ? { pageDevice } : {}) });
      const first = res.executions[0];
      if (!first) throw new Error('The server started no execution');
      state.run.value = { phase: 'following', requestId: res.requestId, executionId: first.id, status: first.status };
      follow(res.requestId, first.id, first.status);
      return true;
    } catch (err) {
      state.run.value = { phase: 'failed', error: messageOf(err) };
      return false;
    }
  }

  function follow(requestId: string, executionId: string, initial: ExecutionStatus) {
    const seq = ++followSeq;
    const live = () => seq === followSeq;
    let finishing = false;
    const finish = async () => {
      if (finishing) return;
      finishing = true;
      stopFollowing?.();
      stopFollowing = undefined;
      try {
        const execution = await api.getExecution(executionId);
        if (live()) state.run.value = { ...state.run.value!, phase: 'done', status: execution.status, execution };
      } catch (err) {
        if (live()) state.run.value = { ...state.run.value!, phase: 'done', error: messageOf(err) };
      }
    };
    const apply = (status: ExecutionStatus) => {
      if (!live() || finishing) return;
      state.run.value = { ...state.run.value!, status };
      if (isTerminal(status)) void finish();
    };
    let polling = false;
    const poll = () => {
      if (polling || finishing || !live()) return;
      polling = true;
      const started = Date.now();
      let attempt = 0;
      const tick = async () => {
        if (!live() || finishing) return;
        try {
          const execution = await api.getExecution(executionId);
          apply(execution.status);
        } catch {
          // Keep trying until the limit: the service worker or the network may come back.
        }
        if (!live() || finishing || Date.now() - started > pollLimitMs) return;
        const delay = pollDelays[Math.min(attempt++, pollDelays.length - 1)]!;
        const timer = setTimeout(tick, delay);
        stopFollowing = () => clearTimeout(timer);
      };
      void tick();
    };
    if (isTerminal(initial)) return void finish();
    stopFollowing = api.watchExecutions(requestId, {
      onUpdate: (update) => update.id === executionId && apply(update.status),
      // Live status is gone (old backend, network, restarted service worker): read the status instead.
      onError: () => poll(),
      onEnd: () => poll(),
    });
  }

  let preset: LauncherPreset | undefined;

  /** Starts over for another ticket: forgets everything, then looks `hint` up (and opens `withPreset` on it). */
  function reset(hint?: string, withPreset?: LauncherPreset) {
    stopRun();
    pageDevice = hint;
    preset = withPreset;
    searchSeq++;
    batch(() => {
      state.query.value = hint ?? '';
      state.matches.value = null;
      state.device.value = null;
      state.actions.value = null;
      state.action.value = null;
      state.run.value = null;
      state.error.value = null;
      state.searching.value = false;
    });
    if (hint) void search(hint);
  }

  return { ...state, search, selectDevice, clearDevice, selectAction, closeAction, clearRun, setValue, launch, reset, dispose: stopRun };
}
