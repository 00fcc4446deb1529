// Types of build-sea.mjs, for the tests that build the executables they run.
export declare const SEA_TARGETS: string[];
export declare const SEA_FUSE: string;
export declare const SEA_RESOURCE: string;
export declare const SEA_MACHO_SEGMENT: string;
export declare const defaultOutDir: string;
export declare function binaryName(target: string): string;
export declare function buildSea(options?: {
  targets?: string[];
  outDir?: string;
  version?: string;
  log?: (line: string) => void;
  /** The version the agent reports (agent/package.json's unless given). */
  agentVersion?: string;
  /** The node and V8 flags the executable runs with (the agent's, agent/src/node-flags.json, unless given). */
  execArgv?: readonly string[];
}): Promise<{ built: { target: string; file: string }[]; skipped: { target: string; reason: string }[] }>;
export declare const TRAY_TARGETS: string[];
export declare function trayBinaryName(target: string): string;
/** The tray client's executables, with systray2's helper of each platform in `outDir/traybin/`. */
export declare function buildTraySea(options?: {
  targets?: string[];
  outDir?: string;
  version?: string;
  log?: (line: string) => void;
}): Promise<{ built: { target: string; file: string }[]; skipped: { target: string; reason: string }[] }>;
