/**
 * @module Names the agent and the tray client agree on outside the wire.
 *
 * `TRAY_APP_ID` is the tray's Windows AppUserModelID. Windows shows a toast only from an app id a Start-menu shortcut
 * carries: the agent's install creates `Fixpoint.lnk` with this id, and the tray posts its notifications under it.
 */
export const TRAY_APP_ID = 'Fixpoint.Tray';

/** A Windows security identifier as Windows writes it (`S-1-5-21-…-1001`): the only form the agent names accounts by in ACLs and pipe names. */
export const isWindowsSid = (text: string): boolean => /^S-1-\d+(-\d+)+$/.test(text);
