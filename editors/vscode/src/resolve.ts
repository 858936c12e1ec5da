// Finding the entitlint binary and checking that it runs. No `vscode`
// import, so this is unit-tested with plain node.
import { execFile, ExecFileException } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const INSTALL_COMMAND = 'go install github.com/entitlint/entitlint/cmd/entitlint@latest';

export interface ResolveInput {
  /** The `entitlint.path` setting ("" when unset). */
  configured: string;
  /** The extension's install directory (holds bin/<platform>-<arch>/). */
  extensionDir: string;
  /** The first workspace folder, for a relative `entitlint.path`. */
  workspaceDir?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
}

export type Resolved =
  | { ok: true; path: string; source: 'setting' | 'bundled' | 'PATH' }
  | { ok: false; message: string; tried: string[] };

/** The directory name a platform package bundles its binary under, e.g. linux-x64. */
export function bundleTarget(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `${platform}-${arch}`;
}

function exeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'entitlint.exe' : 'entitlint';
}

function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    // Windows has no execute bit; existence is the best test there.
    if (platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks a bare command name up in PATH the way a shell would. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const dir of (env.PATH ?? env.Path ?? '').split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = path.join(dir, name + ext.toLowerCase());
      if (isExecutableFile(p, platform)) return p;
    }
  }
  return undefined;
}

/**
 * Picks the binary: the `entitlint.path` setting, else the one bundled for
 * this platform, else `entitlint` on PATH. A setting that points nowhere is
 * an error rather than a silent fallback: the user asked for that binary.
 */
export function resolveServer(input: ResolveInput): Resolved {
  const platform = input.platform ?? process.platform;
  const arch = input.arch ?? process.arch;
  const env = input.env ?? process.env;
  const configured = input.configured.trim();

  if (configured) {
    let p = configured.replace(/^~(?=$|[/\\])/, os.homedir());
    const bare = !p.includes('/') && !p.includes('\\');
    if (bare) {
      const found = findOnPath(p, env, platform);
      if (found) return { ok: true, path: found, source: 'setting' };
      return { ok: false, message: `"entitlint.path" is "${configured}", which is not on PATH.`, tried: [configured] };
    }
    if (!path.isAbsolute(p) && input.workspaceDir) p = path.resolve(input.workspaceDir, p);
    if (isExecutableFile(p, platform)) return { ok: true, path: p, source: 'setting' };
    const why = fs.existsSync(p) ? 'is not an executable file' : 'does not exist';
    return { ok: false, message: `"entitlint.path" is ${p}, which ${why}.`, tried: [p] };
  }

  const bundled = path.join(input.extensionDir, 'bin', bundleTarget(platform, arch), exeName(platform));
  if (isExecutableFile(bundled, platform)) return { ok: true, path: bundled, source: 'bundled' };

  const onPath = findOnPath('entitlint', env, platform);
  if (onPath) return { ok: true, path: onPath, source: 'PATH' };

  return {
    ok: false,
    message: 'The entitlint binary was not found: this extension has none bundled for ' +
      `${bundleTarget(platform, arch)} and there is no entitlint on PATH.`,
    tried: [bundled, 'entitlint on PATH'],
  };
}

export type Probe = { ok: true; version: string } | { ok: false; message: string };

/**
 * Runs `<bin> version` to catch, before the language client starts, a
 * binary that cannot run at all (wrong architecture, not a program, an
 * unrelated tool named entitlint).
 */
export function probe(bin: string, timeoutMs = 10_000): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(bin, ['version'], { timeout: timeoutMs, windowsHide: true }, (e: ExecFileException | null, stdout, stderr) => {
      if (!e) {
        resolve({ ok: true, version: stdout.trim() });
        return;
      }
      let why: string;
      if (e.code === 'ENOENT') why = 'does not exist';
      else if (e.code === 'EACCES') why = 'is not executable';
      else if (e.code === 'ENOEXEC' || e.code === 'EBADARCH') why = 'is not a program for this machine';
      else if (e.killed) why = `did not answer within ${timeoutMs / 1000}s`;
      else why = `failed (${typeof e.code === 'number' ? `exit code ${e.code}` : e.message})`;
      const detail = stderr.trim().split('\n').slice(-3).join(' ').trim();
      resolve({ ok: false, message: `\`${bin} version\` ${why}${detail ? `: ${detail}` : ''}.` });
    });
  });
}
