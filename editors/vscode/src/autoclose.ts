// Types `</key>` after `<key>` in entitlements documents.
import { Disposable, SnippetString, TextDocumentChangeEvent, window, workspace } from 'vscode';
import { LANGUAGE_ID } from './launch';
import { closingTag } from './tags';

export function registerAutoClose(): Disposable {
  return workspace.onDidChangeTextDocument(onChange);
}

function onChange(e: TextDocumentChangeEvent): void {
  const doc = e.document;
  // `reason` is set for undo and redo, which must not type anything.
  if (doc.languageId !== LANGUAGE_ID || e.reason !== undefined || e.contentChanges.length !== 1) return;
  const change = e.contentChanges[0];
  if (change.text !== '>' || !change.range.isEmpty) return;
  if (!workspace.getConfiguration('entitlint', doc).get<boolean>('autoCloseTags', true)) return;
  const pos = change.range.start.translate(0, 1);
  const version = doc.version;
  // The selection moves after this event; check it once it has, like VS
  // Code's HTML support does, so that pastes and other edits are left alone.
  setTimeout(() => {
    const editor = window.activeTextEditor;
    if (!editor || editor.document !== doc || doc.version !== version) return;
    if (editor.selections.length !== 1 || !editor.selection.active.isEqual(pos)) return;
    const line = doc.lineAt(pos.line).text;
    const close = closingTag(line.slice(0, pos.character), line.slice(pos.character));
    if (close) void editor.insertSnippet(new SnippetString('$0' + close), pos);
  }, 50);
}
