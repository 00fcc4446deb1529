/**
 * @module Names the agent and the tray client agree on outside the wire.
 *
 * `TRAY_APP_ID` is the tray's Windows AppUserModelID. Windows shows a toast only from an app id a Start-menu shortcut
 * carries: the agent's install creates `Fixpoint.lnk` with this id, and the tray posts its notifications under it.
 */
export const TRAY_APP_ID = 'Fixpoint.Tray';
