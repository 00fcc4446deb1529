/**
 * @module
 * The launcher panel and the rules behind it, as its two hosts use them: the extension (in a ticket page's shadow
 * root, through `LauncherDock`) and the console (through `Launcher` directly). Each host supplies a `LauncherApi`.
 */
export { Launcher, type LauncherProps } from './Launcher';
export type { LauncherPreset } from './launcher-store';
export { LauncherDock, dockStyles, type LauncherDockProps } from './LauncherDock';
export { launcherStyles } from './launcher.styles';
export { LauncherApiError, type ExecutionUpdate, type InsertOutcome, type LaunchInput, type LauncherApi, type WatchHandlers } from './launcher-api';
export { allowsTrigger, confirmationCount, confirmsCount, formatSummary, keyFacts, outputRows, pickDevice, selectRunnableActions, statusLabel, statusTone } from './launcher-logic';
export { fieldsFor, initialValues, toParameterValue, validateForm, type FieldKind, type FieldModel, type FormCheck, type FormValues } from './parameter-form';
