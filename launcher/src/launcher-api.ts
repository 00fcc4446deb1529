/**
 * @module
 * What the launcher panel needs from its host. The extension implements it over runtime messages to its background;
 * the console implements it over HTTP with its session. The panel never touches browser or extension APIs itself.
 */
import type { Action, ActionWithVersion, Device, Execution, ExecutionEvent, LaunchResponse, ParameterValue } from '@fixpoint/protocol';

/** A live status change of one execution: the part of the protocol's ExecutionEvent the panel reads. */
export type ExecutionUpdate = Pick<ExecutionEvent, 'id' | 'status'>;

export interface LaunchInput {
  /** Action slug. */
  action: string;
  deviceId: string;
  parameters: Record<string, ParameterValue>;
  /** The device name as the ticket page shows it, kept in the audit next to the chosen device. */
  pageDevice?: string;
}

/**
 * What writing a summary into the ticket achieved: `inserted` only once the text was read back from the box;
 * `no-box` when the active ticket shows no box that can take text; `not-taken` when the box did not keep it.
 */
export type InsertOutcome = 'inserted' | 'no-box' | 'not-taken';

/** Handlers for a live-status subscription. `onError` means the stream is gone; the panel then polls instead. */
export interface WatchHandlers {
  onUpdate(update: ExecutionUpdate): void;
  onError?(error: Error): void;
  onEnd?(): void;
}

/** The backend operations the launcher uses. Every method rejects with an Error whose message can be shown as is. */
export interface LauncherApi {
  /** Devices whose name matches `query` (and that the caller may see). */
  searchDevices(query: string): Promise<Device[]>;
  /** The actions the caller may run on `device`. */
  listActions(device: Device): Promise<Action[]>;
  getAction(slug: string): Promise<ActionWithVersion>;
  launch(input: LaunchInput): Promise<LaunchResponse>;
  getExecution(id: string): Promise<Execution>;
  /** Follows the executions of one launch; returns a function that stops following. */
  watchExecutions(requestId: string, handlers: WatchHandlers): () => void;
}

/** An API failure with the backend's error code (`forbidden`, `not_found`, `unauthenticated`…). */
export class LauncherApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LauncherApiError';
  }
}
