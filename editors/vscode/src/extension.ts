// Entry point: the language server controller, its commands and the
// tag auto-closing for the `entitlements` language.
import { commands, ExtensionContext, window, workspace } from 'vscode';
import { registerAutoClose } from './autoclose';
import { ServerController } from './client';

let server: ServerController | undefined;

export function activate(context: ExtensionContext): void {
  const output = window.createOutputChannel('entitlint');
  server = new ServerController(context.extensionPath, output);
  const s = server;
  context.subscriptions.push(
    output,
    commands.registerCommand('entitlint.restartServer', () => s.restart(true)),
    commands.registerCommand('entitlint.showOutput', () => output.show(true)),
    workspace.onDidChangeConfiguration((e) => s.configurationChanged(e)),
    registerAutoClose(),
  );
  void s.restart();
}

export function deactivate(): Promise<void> | undefined {
  return server?.stop();
}
