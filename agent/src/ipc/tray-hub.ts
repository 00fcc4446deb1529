/**
 * @module Every user's tray socket. Sockets follow sessions: opened when a user's runtime directory appears,
 * closed when it goes (Linux, by inotify on `/run/user`, which is only read: the sockets live in `/run/fixpoint`); elsewhere they follow the console user, checked whenever
 * a prompt needs a tray. Nothing is polled.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { AgentToTrayMessage, TrayActivityRequest, TrayAnswer, TrayHello, TrayHelp, TrayHelpResult, TraySelfService } from '@fixpoint/protocol';
import { describeError, log } from '../log';
import { sessionBase } from './paths';
import { sessionUsers } from './sessions';
import { TrayConnection, type TrayConnectionHost } from './tray-connection';
import { closeUserSocket, openUserSocket, type IpcUser, type OpenedUserSocket } from './user-socket';

export interface TrayHubHandlers {
  /** A tray of `user` connected or went away. */
  traysChanged(user: string): void;
  shown(user: string, requestId: string): void;
  answer(user: string, answer: TrayAnswer): void;
  /** A tray's self-service or activity request; `reply` answers that tray alone. */
  request?(user: string, request: TraySelfService | TrayActivityRequest, reply: (message: AgentToTrayMessage) => boolean): void;
  /** The user asks for help; `reply` reaches the tray that asked. */
  help?(user: string, help: TrayHelp, reply: (message: TrayHelpResult) => void): void;
}

export interface TrayHubOptions {
  handlers: TrayHubHandlers;
  /** Who should have a socket (default: the session users of this machine). */
  discover?: () => Promise<IpcUser[]>;
  /** At most this many trays per user at once (default 4). */
  maxTraysPerUser?: number;
  /** Follow logins and logouts by watching the session runtime directories (Linux). */
  watchSessions?: boolean;
}

const key = (name: string) => name.toLowerCase();

class UserSocket implements TrayConnectionHost {
  readonly trays = new Set<TrayConnection>();
  readonly challenge = process.platform === 'win32';
  constructor(
    readonly user: IpcUser,
    readonly opened: OpenedUserSocket,
    private readonly hub: TrayHub,
  ) {}
  get token(): string {
    return this.opened.token;
  }
  admitted(conn: TrayConnection): void {
    this.trays.add(conn);
    this.hub.handlers.traysChanged(this.user.name);
  }
  closed(conn: TrayConnection): void {
    this.trays.delete(conn);
    this.hub.handlers.traysChanged(this.user.name);
  }
  shown(_conn: TrayConnection, requestId: string): void {
    this.hub.handlers.shown(this.user.name, requestId);
  }
  answer(_conn: TrayConnection, answer: TrayAnswer): void {
    this.hub.handlers.answer(this.user.name, answer);
  }
  request(conn: TrayConnection, request: TraySelfService | TrayActivityRequest): void {
    if (!this.hub.handlers.request) return void conn.send({ type: 'error', code: 'not_found', message: 'this agent offers no self-service' });
    this.hub.handlers.request(this.user.name, request, (message) => conn.send(message));
  }

  help(conn: TrayConnection, help: TrayHelp): void {
    const reply = (message: TrayHelpResult) => void conn.send(message);
    if (this.hub.handlers.help) this.hub.handlers.help(this.user.name, help, reply);
    else reply({ type: 'help_result', localId: help.localId, error: { code: 'unavailable', message: 'this agent does not take help requests' } });
  }
}

export class TrayHub {
  readonly handlers: TrayHubHandlers;
  private readonly sockets = new Map<string, UserSocket>();
  private watcher: FSWatcher | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: TrayHubOptions) {
    this.handlers = options.handlers;
  }

  /** Opens sockets for the current sessions and follows them. */
  async start(): Promise<void> {
    if (process.platform === 'linux' && this.options.watchSessions) {
      try {
        this.watcher = watch(sessionBase(), () => void this.refresh());
        this.watcher.on('error', () => {});
      } catch (err) {
        log.info('tray ipc: no session runtime directory to follow yet', { base: sessionBase(), error: describeError(err) });
      }
    }
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    await this.refreshing;
    await Promise.all([...this.sockets.values()].map((s) => this.closeSocket(s)));
    this.sockets.clear();
  }

  /** Looks at the sessions again; concurrent calls share one pass (and one more after it, if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.reconcile()
      .catch((err: unknown) => log.warn('tray ipc: cannot follow sessions', { error: describeError(err) }))
      .finally(() => {
        this.refreshing = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.refreshing;
  }

  /** Whether `user` has a session socket (is logged in), and how many trays are connected to it. */
  presence(user: string): { session: boolean; trays: number } {
    const socket = this.sockets.get(key(user));
    return { session: !!socket, trays: socket?.trays.size ?? 0 };
  }

  /** Users with a socket now. */
  get users(): string[] {
    return [...this.sockets.values()].map((s) => s.user.name);
  }

  /** Sends to every tray of `user` (a function builds the message per tray, from its hello); returns how many got it. */
  send(user: string, message: AgentToTrayMessage | ((hello: TrayHello) => AgentToTrayMessage)): number {
    let sent = 0;
    for (const tray of this.sockets.get(key(user))?.trays ?? [])
      if (tray.hello && tray.send(typeof message === 'function' ? message(tray.hello) : message)) sent++;
    return sent;
  }

  private async reconcile(): Promise<void> {
    const wanted = await (this.options.discover ?? sessionUsers)();
    if (this.stopped) return;
    const names = new Set(wanted.map((u) => key(u.name)));
    for (const [name, socket] of this.sockets)
      if (!names.has(name)) {
        this.sockets.delete(name);
        await this.closeSocket(socket);
        this.handlers.traysChanged(socket.user.name);
      }
    for (const user of wanted) {
      if (this.sockets.has(key(user.name))) continue;
      const max = this.options.maxTraysPerUser ?? 4;
      let socket: UserSocket | null = null;
      try {
        const opened = await openUserSocket(user, (conn) => {
          if (!socket || socket.trays.size >= max) return void conn.destroy();
          new TrayConnection(conn, socket);
        });
        socket = new UserSocket(user, opened, this);
        this.sockets.set(key(user.name), socket);
        log.info('tray ipc: listening for a user', { user: user.name, socket: opened.paths.socket });
      } catch (err) {
        log.warn('tray ipc: cannot open a user socket', { user: user.name, error: describeError(err) });
      }
    }
  }

  private async closeSocket(socket: UserSocket): Promise<void> {
    for (const tray of socket.trays) tray.close();
    await closeUserSocket(socket.opened).catch(() => {});
  }
}
