// Starts the real entitlint binary the way the extension does (same binary
// resolution, arguments, working directory and initializationOptions, from
// the same modules) and talks LSP to it with vscode-languageserver-protocol,
// the protocol layer under vscode-languageclient. ENTITLINT_PATH plays the
// `entitlint.path` setting; unset, the bundled bin/<platform>-<arch>/
// binary or PATH is used, as in VS Code.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  CodeAction,
  CodeActionRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  MessageType,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { LANGUAGE_ID, launchConfig } from '../../src/launch';
import { resolveServer } from '../../src/resolve';
import { RawSettings, toServerSettings } from '../../src/settings';

const extensionDir = path.resolve(__dirname, '..', '..', '..');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'entitlint-it-'));
after(() => fs.rmSync(workspace, { recursive: true, force: true }));

const BROKEN = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>com.apple.developer.app-groups</key>
	<array>
		<string>group.com.example.shared</string>
	</array>
</dict>
</plist>
`;
const APP_GROUPS_LINE = 4;

// Settings as VS Code hands them over: package.json defaults plus what the user set.
const userSettings: RawSettings = {
  platforms: ['ios'], minVersions: { ios: '16.0', macos: '' }, distribution: 'app-store', teamID: '',
  rules: { 'needs-approval': 'off' }, catalogs: [], maxFileSize: 0, logLevel: 'debug',
};

interface Session {
  conn: ProtocolConnection;
  proc: ChildProcess;
  messages: ShowMessageParams[];
  stderr: () => string;
  diagnostics: (uri: string, accept: (d: Diagnostic[]) => boolean) => Promise<Diagnostic[]>;
  stop: () => Promise<number | null>;
}

async function start(raw: RawSettings): Promise<Session> {
  const found = resolveServer({ configured: process.env.ENTITLINT_PATH ?? '', extensionDir, workspaceDir: workspace });
  assert.ok(found.ok, found.ok ? '' : `${found.message} (build it: scripts/ci.sh does)`);
  const launch = launchConfig(found.path, raw, workspace);
  const proc = spawn(launch.command, launch.args, { cwd: launch.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const messages: ShowMessageParams[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification(ShowMessageNotification.type, (m) => messages.push(m));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.onRequest(RegistrationRequest.type, () => null); // the .entitlint.json watcher
  conn.listen();

  const diagnostics = (uri: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} in 10s; stderr:\n${stderr}`)), 10_000);
      const check = (): void => {
        const last = published.filter((p) => p.uri === uri).at(-1);
        if (last && accept(last.diagnostics)) {
          clearTimeout(timer);
          resolve(last.diagnostics);
        } else waiters.push(check);
      };
      check();
    });

  const result = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'entitlint-vscode-integration-test' },
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
    initializationOptions: launch.initializationOptions,
    capabilities: {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
      },
    },
  });
  assert.equal(result.serverInfo?.name, 'entitlint');
  await conn.sendNotification(InitializedNotification.type, {});

  const stop = async (): Promise<number | null> => {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    // vscode-languageclient ends the stream right after exit; so do we.
    conn.end();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
    const code = await Promise.race([exited, timeout]);
    conn.dispose();
    if (code === 'timeout') {
      proc.kill();
      throw new Error('the server did not exit within 5s of shutdown and exit');
    }
    return code;
  };
  return { conn, proc, messages, stderr: () => stderr, diagnostics, stop };
}

function open(s: Session, name: string, text: string): string {
  const file = path.join(workspace, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  void s.conn.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: LANGUAGE_ID, version: 1, text },
  });
  return uri;
}

const hallucinated = (d: Diagnostic): boolean => d.code === 'hallucinated-key' && d.range.start.line === APP_GROUPS_LINE;

describe('entitlint serve, launched as the extension launches it', () => {
  it('publishes diagnostics and a fix for a broken file, follows settings changes, and exits cleanly', async () => {
    const s = await start(userSettings);
    const uri = open(s, 'App/App.entitlements', BROKEN);

    const diags = await s.diagnostics(uri, (ds) => ds.some(hallucinated));
    const d = diags.find(hallucinated)!;
    assert.equal(d.source, 'entitlint');
    assert.equal(d.severity, 1);
    assert.match(d.message, /com\.apple\.security\.application-groups/);

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    assert.ok(
      actions.some((a) => a.kind === 'quickfix' && /com\.apple\.security\.application-groups/.test(a.title)),
      `quick fixes: ${JSON.stringify(actions.map((a) => a.title))}`,
    );

    // What the extension sends on a settings change: the mapped object.
    const next = toServerSettings({ ...userSettings, rules: { 'needs-approval': 'off', 'hallucinated-key': 'off' } }, workspace);
    await s.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: next.settings });
    await s.diagnostics(uri, (ds) => !ds.some(hallucinated));

    assert.deepEqual(s.messages.filter((m) => m.type <= MessageType.Warning), [], 'the server complained about the settings');
    assert.equal(await s.stop(), 0, `exit code; stderr:\n${s.stderr()}`);
  });

  it('accepts the settings left after dropping values it would reject', async () => {
    const raw = { ...userSettings, platforms: ['ios', 'android'], teamID: 'abc', distribution: 'testflight', maxFileSize: -5 };
    assert.equal(toServerSettings(raw).problems.length, 4);
    const s = await start(raw);
    const uri = open(s, 'Other.entitlements', BROKEN);
    await s.diagnostics(uri, (ds) => ds.some(hallucinated));
    assert.deepEqual(s.messages, []);
    assert.equal(await s.stop(), 0);
  });
});
