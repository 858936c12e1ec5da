// Just enough of the `vscode` module for ServerController and
// vscode-languageclient to run under plain node: the notifications and the
// settings are real, every other API is an inert stand-in.
import Module from 'node:module';

export interface Note {
  level: 'error' | 'warning' | 'info';
  message: string;
  actions: string[];
}

export const notes: Note[] = [];
export const output: string[] = [];
export const settings: Record<string, unknown> = {};

// Any property is another stand-in, any call returns one: covers
// the many registrations the language client makes.
function inert(name: string): unknown {
  const target = function () {} as unknown as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(t, p) {
      if (p === 'then' || typeof p === 'symbol') return undefined;
      if (!(p in t)) t[p] = inert(`${name}.${p}`);
      return t[p];
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`) as object,
  });
}

const show = (level: Note['level']) => (message: string, ...actions: string[]) => {
  notes.push({ level, message, actions });
  return Promise.resolve(undefined);
};

const vscode = inert('vscode') as Record<string, Record<string, unknown>> & { version: string };
vscode.version = '1.82.0';
vscode.window.showErrorMessage = show('error');
vscode.window.showWarningMessage = show('warning');
vscode.window.showInformationMessage = show('info');
vscode.workspace.getConfiguration = () => ({ get: (key: string, dflt?: unknown) => (key in settings ? settings[key] : dflt) });
vscode.workspace.workspaceFolders = undefined;

export const outputChannel = {
  name: 'entitlint',
  append: (s: string) => output.push(s),
  appendLine: (s: string) => output.push(s),
  replace: () => {},
  clear: () => {},
  show: () => {},
  hide: () => {},
  dispose: () => {},
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
const load = mod._load;
mod._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};
