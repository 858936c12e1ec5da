// ServerController's failure paths, under a stand-in `vscode`: a missing,
// broken or crashing server gives exactly one notification, until the user
// restarts the server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Note } from './fake-vscode';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entitlint-client-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

interface Seen {
  notes: Note[];
  notesBeforeUserRestart: number;
  output: string[];
}

function run(scenario: string, pathSetting: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'client-scenario.js'), scenario, pathSetting], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Seen);
    });
  });
}

const INSTALL = /Install it with `go install github\.com\/entitlint\/entitlint\/cmd\/entitlint@latest` or set "entitlint\.path"/;

describe('ServerController', () => {
  it('reports a missing binary once, and again when the user restarts', async () => {
    const seen = await run('twice', path.join(tmp, 'missing'));
    assert.equal(seen.notesBeforeUserRestart, 1, JSON.stringify(seen.notes));
    assert.equal(seen.notes.length, 2);
    assert.equal(seen.notes[0].level, 'error');
    assert.match(seen.notes[0].message, /does not exist\./);
    assert.match(seen.notes[0].message, INSTALL);
    assert.deepEqual(seen.notes[0].actions, ['Copy Install Command', 'Open Settings', 'Show Output']);
  });

  it('reports a binary that is not entitlint', async () => {
    const seen = await run('twice', script('other-tool', 'echo "usage: other-tool" >&2; exit 64'));
    assert.equal(seen.notesBeforeUserRestart, 1, JSON.stringify(seen.notes));
    assert.match(seen.notes[0].message, /cannot be used: .* failed \(exit code 64\): usage: other-tool\./);
    assert.match(seen.notes[0].message, INSTALL);
  });

  it('reports a server that exits while starting once, its stderr in the output', async () => {
    const bin = script('no-serve', '[ "$1" = version ] && { echo "entitlint 0.0.1"; exit 0; }\necho "unknown command $1" >&2; exit 2');
    const seen = await run('twice', bin);
    assert.equal(seen.notesBeforeUserRestart, 1, JSON.stringify(seen.notes));
    assert.match(seen.notes[0].message, /stopped while starting/);
    assert.ok(seen.output.some((l) => l.includes('unknown command serve')), seen.output.join('\n'));
  });

  it('restarts a crashing server, then gives up with one notification', { timeout: 60_000 }, async () => {
    const server = path.join(__dirname, 'crashing-server.js');
    const bin = script('crashes', `[ "$1" = version ] && { echo "entitlint 0.0.1"; exit 0; }\nexec "${process.execPath}" "${server}"`);
    const seen = await run('crashes', bin);
    assert.equal(seen.output.filter((l) => l.includes('unexpectedly; restarting')).length, 4, seen.output.join('\n'));
    assert.equal(seen.notes.length, 1, JSON.stringify(seen.notes));
    assert.match(seen.notes[0].message, /crashed 5 times in 3 minutes/);
    assert.deepEqual(seen.notes[0].actions, ['Show Output', 'Restart Server']);
  });
});
