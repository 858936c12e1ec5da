// How the extension starts the server: one place, shared with the
// integration test so that it launches the binary exactly as VS Code would.
// No `vscode` import.
import { RawSettings, ServerSettings, serverArgs, toServerSettings } from './settings';

export const LANGUAGE_ID = 'entitlements';

/** Documents the server sees: files on disk and new unsaved files, never git:, vscode-vfs: and the like. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: LANGUAGE_ID },
  { scheme: 'untitled', language: LANGUAGE_ID },
];

export interface Launch {
  command: string;
  args: string[];
  cwd?: string;
  initializationOptions: ServerSettings;
  /** Settings that were dropped because the server would reject them. */
  problems: string[];
}

export function launchConfig(bin: string, raw: RawSettings, workspaceDir?: string): Launch {
  const { settings, problems } = toServerSettings(raw, workspaceDir);
  return { command: bin, args: serverArgs(raw), cwd: workspaceDir, initializationOptions: settings, problems };
}
