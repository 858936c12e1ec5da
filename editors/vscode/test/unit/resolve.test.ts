import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleTarget, findOnPath, probe, resolveServer } from '../../src/resolve';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'entitlint-resolve-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function script(rel: string, body: string, mode = 0o755): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode });
  return p;
}

const target = bundleTarget('linux', 'x64');
const extWith = path.join(tmp, 'ext-with');
const bundled = script(`ext-with/bin/${target}/entitlint`, 'echo bundled');
const extWithout = path.join(tmp, 'ext-without');
fs.mkdirSync(path.join(extWithout, 'bin', 'darwin-arm64'), { recursive: true });
const onPath = script('pathdir/entitlint', 'echo path');
const notExec = script('plain/entitlint', 'echo no', 0o644);
const env = { PATH: ['/nonexistent', path.join(tmp, 'plain'), path.join(tmp, 'pathdir')].join(':') };
const base = { platform: 'linux' as const, arch: 'x64', env };

describe('resolveServer', () => {
  it('uses the entitlint.path setting first', () => {
    const custom = script('custom/my-entitlint', 'echo custom');
    assert.deepEqual(resolveServer({ ...base, configured: custom, extensionDir: extWith }), {
      ok: true, path: custom, source: 'setting',
    });
  });

  it('resolves a relative setting against the workspace folder', () => {
    const ws = path.join(tmp, 'ws');
    const p = script('ws/tools/entitlint', 'echo ws');
    const r = resolveServer({ ...base, configured: 'tools/entitlint', extensionDir: extWith, workspaceDir: ws });
    assert.deepEqual(r, { ok: true, path: p, source: 'setting' });
  });

  it('looks a bare command name in the setting up on PATH', () => {
    const r = resolveServer({ ...base, configured: 'entitlint', extensionDir: extWith });
    assert.deepEqual(r, { ok: true, path: onPath, source: 'setting' });
  });

  it('reports a setting that points nowhere instead of falling back', () => {
    const r = resolveServer({ ...base, configured: '/no/such/entitlint', extensionDir: extWith });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /"entitlint\.path" is \/no\/such\/entitlint, which does not exist/);
  });

  it('reports a setting that is not executable', () => {
    const r = resolveServer({ ...base, configured: notExec, extensionDir: extWith });
    assert.match(!r.ok ? r.message : '', /is not an executable file/);
  });

  it('prefers the bundled binary over PATH', () => {
    assert.deepEqual(resolveServer({ ...base, configured: '  ', extensionDir: extWith }), {
      ok: true, path: bundled, source: 'bundled',
    });
  });

  it('uses only the bundle for this platform and arch', () => {
    const r = resolveServer({ ...base, arch: 'arm64', configured: '', extensionDir: extWith });
    assert.deepEqual(r, { ok: true, path: onPath, source: 'PATH' });
  });

  it('falls back to PATH, skipping files that are not executable', () => {
    assert.deepEqual(resolveServer({ ...base, configured: '', extensionDir: extWithout }), {
      ok: true, path: onPath, source: 'PATH',
    });
  });

  it('says what it tried when there is nothing', () => {
    const r = resolveServer({ ...base, env: { PATH: '/nonexistent' }, configured: '', extensionDir: extWithout });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /none bundled for linux-x64 and there is no entitlint on PATH/);
      assert.deepEqual(r.tried, [path.join(extWithout, 'bin', 'linux-x64', 'entitlint'), 'entitlint on PATH']);
    }
  });

  it('finds entitlint.exe through PATHEXT on Windows', () => {
    const dir = path.join(tmp, 'win');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'entitlint.exe'), '', { mode: 0o644 });
    assert.equal(findOnPath('entitlint', { Path: dir, PATHEXT: '.COM;.EXE' }, 'win32'), path.join(dir, 'entitlint.exe'));
  });
});

describe('probe', () => {
  it('returns the version of a working binary', async () => {
    const p = script('probe/ok', 'echo "entitlint 1.2.3"');
    assert.deepEqual(await probe(p), { ok: true, version: 'entitlint 1.2.3' });
  });

  it('reports a binary that exits with an error, with its stderr', async () => {
    const p = script('probe/fails', 'echo "unknown command \\"version\\"" >&2; exit 2');
    const r = await probe(p);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /failed \(exit code 2\): unknown command "version"\.$/);
  });

  it('reports a missing file', async () => {
    const r = await probe(path.join(tmp, 'probe/missing'));
    assert.match(!r.ok ? r.message : '', /does not exist/);
  });

  it('reports a file that is not executable', async () => {
    const r = await probe(notExec);
    assert.match(!r.ok ? r.message : '', /is not executable/);
  });

  it('gives up on a binary that hangs', async () => {
    const p = script('probe/hangs', 'exec sleep 5');
    const r = await probe(p, 200);
    assert.match(!r.ok ? r.message : '', /did not answer within 0.2s/);
  });
});
