// Runs one entitlint language server for the window: finds the binary,
// starts, restarts and stops it, and forwards settings. Every failure is
// logged to the output channel and reported in at most one notification
// until the user restarts the server or changes `entitlint.path`.
import { commands, ConfigurationChangeEvent, Disposable, env, OutputChannel, window, workspace } from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR, launchConfig } from './launch';
import { INSTALL_COMMAND, probe, resolveServer } from './resolve';
import { needsRestart, RawSettings, ServerSettings, toServerSettings } from './settings';

const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_CRASHES = 5;

/**
 * The library's own error notifications (start failed, restart failed,
 * a request failed) would pile up on top of ours; here they only go to the
 * output channel.
 */
class QuietClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

function readSettings(): RawSettings {
  const c = workspace.getConfiguration('entitlint');
  return {
    platforms: c.get('platforms'),
    minVersions: c.get('minVersions'),
    distribution: c.get('distribution'),
    teamID: c.get('teamID'),
    rules: c.get('rules'),
    catalogs: c.get('catalogs'),
    maxFileSize: c.get('maxFileSize'),
    logLevel: c.get('logLevel'),
  };
}

function workspaceDir(): string | undefined {
  return workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

export class ServerController implements Disposable {
  private client: LanguageClient | undefined;
  private initial: ServerSettings = {};
  private lastSent = '';
  private notified = false;
  private lastProblems = '';
  private crashes: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly extensionDir: string,
    private readonly output: OutputChannel,
  ) {}

  /** Stops whatever runs and starts afresh; `byUser` re-arms the notification. */
  restart(byUser = false): Promise<void> {
    if (byUser) {
      this.notified = false;
      this.crashes = [];
    }
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  /** Runs starts and stops one at a time; a failure must not block the next. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      this.log(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      this.notify('entitlint: the language server could not be started; the error is in the output.', ['Show Output']);
    });
    return this.queue;
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
  }

  configurationChanged(e: ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration('entitlint')) return;
    if (e.affectsConfiguration('entitlint.path') || e.affectsConfiguration('entitlint.logLevel')) {
      void this.restart(true);
      return;
    }
    const { settings, problems } = toServerSettings(readSettings(), workspaceDir());
    this.reportProblems(problems);
    const client = this.client;
    if (!client?.isRunning()) return;
    if (needsRestart(this.initial, settings)) {
      void this.restart();
      return;
    }
    const json = JSON.stringify(settings);
    if (json === this.lastSent) return; // e.g. only trace.server or autoCloseTags changed
    this.lastSent = json;
    this.log(`settings: ${json}`);
    void client.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  private async startNow(): Promise<void> {
    if (this.disposed) return;
    const raw = readSettings();
    const dir = workspaceDir();
    const found = resolveServer({
      configured: workspace.getConfiguration('entitlint').get<string>('path') ?? '',
      extensionDir: this.extensionDir,
      workspaceDir: dir,
    });
    if (!found.ok) {
      this.log(`${found.message} Tried: ${found.tried.join(', ')}`);
      this.notifyMissing(found.message);
      return;
    }
    const probed = await probe(found.path);
    if (!probed.ok) {
      this.log(probed.message);
      this.notifyMissing(`${found.path} (from ${found.source}) cannot be used: ${probed.message}`);
      return;
    }
    const launch = launchConfig(found.path, raw, dir);
    this.log(`starting ${launch.command} ${launch.args.join(' ')} (${probed.version}, from ${found.source})`);
    this.log(`settings: ${JSON.stringify(launch.initializationOptions)}`);
    this.reportProblems(launch.problems);

    let started = false;
    const client: LanguageClient = new QuietClient(
      'entitlint',
      'entitlint',
      { command: launch.command, args: launch.args, options: { cwd: launch.cwd } },
      {
        documentSelector: DOCUMENT_SELECTOR,
        initializationOptions: launch.initializationOptions,
        outputChannel: this.output,
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationFailedHandler: () => false,
        errorHandler: {
          error: () => ({ action: ErrorAction.Continue, handled: true }),
          closed: () => this.closed(client, started),
        },
      },
    );
    this.client = client;
    this.initial = launch.initializationOptions;
    this.lastSent = JSON.stringify(launch.initializationOptions);
    try {
      await client.start();
      started = true;
    } catch (err) {
      this.log(`start failed: ${err instanceof Error ? err.message : String(err)}`);
      this.notify(
        `entitlint: the language server (${launch.command}) stopped while starting; its error is in the output. ` +
          'It must be an entitlint with the `serve` command.',
        ['Show Output', 'Open Settings'],
      );
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // A client whose start failed has nothing to stop (and dispose would throw).
    if (!client?.needsStop()) return;
    try {
      await client.dispose(2000);
    } catch (err) {
      this.log(`stop: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The server exited on its own. The library never restarts it: a restart
   * goes through startNow, which finds the binary again and reports problems
   * the one way.
   */
  private closed(client: LanguageClient, started: boolean): CloseHandlerResult {
    const result: CloseHandlerResult = { action: CloseAction.DoNotRestart, handled: true };
    if (client !== this.client || !started) return result; // start() reports its own failure
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS).concat(now);
    if (this.crashes.length >= MAX_CRASHES) {
      this.log(`the server stopped ${this.crashes.length} times in 3 minutes; not restarting`);
      this.notify(
        `entitlint: the language server crashed ${MAX_CRASHES} times in 3 minutes and was not restarted. ` +
          'Its errors are in the output.',
        ['Show Output', 'Restart Server'],
      );
      return result;
    }
    this.log('the server stopped unexpectedly; restarting');
    setTimeout(() => void this.restart(), 500 * this.crashes.length);
    return result;
  }

  private notifyMissing(what: string): void {
    this.notify(
      `entitlint: ${what} Install it with \`${INSTALL_COMMAND}\` or set "entitlint.path".`,
      ['Copy Install Command', 'Open Settings', 'Show Output'],
    );
  }

  private reportProblems(problems: string[]): void {
    const key = problems.join('\n');
    if (key === this.lastProblems) return;
    this.lastProblems = key;
    if (problems.length === 0) return;
    for (const p of problems) this.log(p);
    void window
      .showWarningMessage(`entitlint: some settings were ignored: ${problems.join('; ')}`, 'Open Settings')
      .then((choice) => choice && this.act(choice));
  }

  private notify(message: string, actions: string[]): void {
    if (this.notified) return;
    this.notified = true;
    void window.showErrorMessage(message, ...actions).then((choice) => choice && this.act(choice));
  }

  private act(choice: string): void {
    switch (choice) {
      case 'Show Output':
        this.output.show(true);
        break;
      case 'Open Settings':
        void commands.executeCommand('workbench.action.openSettings', 'entitlint');
        break;
      case 'Copy Install Command':
        void env.clipboard.writeText(INSTALL_COMMAND);
        break;
      case 'Restart Server':
        void this.restart(true);
        break;
    }
  }

  private log(line: string): void {
    this.output.appendLine(`[entitlint] ${line}`);
  }
}
