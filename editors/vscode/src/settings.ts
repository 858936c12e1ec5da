// Maps the extension's `entitlint.*` settings to the server's settings
// object, which has exactly the shape of .entitlint.json. The server
// rejects the whole object for one unknown field or bad value, so empty
// values are left out and bad ones dropped here with a note. No `vscode`
// import: unit-tested with plain node.
import * as path from 'node:path';

export const PLATFORMS = ['ios', 'ipados', 'macos', 'catalyst', 'tvos', 'watchos', 'visionos', 'driverkit'] as const;
export const DISTRIBUTIONS = ['app-store', 'developer-id', 'ad-hoc', 'enterprise', 'development'] as const;
export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const TEAM_ID = /^[A-Z0-9]{10}$/;
const VERSION = /^\d+(\.\d+){0,2}$/;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** What `workspace.getConfiguration('entitlint')` holds, loosely typed: users edit settings.json by hand. */
export interface RawSettings {
  platforms?: unknown;
  minVersions?: unknown;
  distribution?: unknown;
  teamID?: unknown;
  rules?: unknown;
  catalogs?: unknown;
  maxFileSize?: unknown;
  logLevel?: unknown;
}

/** The server's settings (.entitlint.json's fields that an editor sets). */
export interface ServerSettings {
  platforms?: string[];
  minVersions?: Record<string, string>;
  distribution?: string;
  teamID?: string;
  rules?: Record<string, string>;
  catalogs?: string[];
  maxFileSize?: number;
}

export interface Mapped {
  settings: ServerSettings;
  /** One line per dropped value, naming the setting. */
  problems: string[];
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const includes = (list: readonly string[], v: string): boolean => list.includes(v);

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter(isString).map((s) => s.trim()).filter((s) => s !== '') : [];
}

/**
 * Builds the server settings. `workspaceDir` (the first workspace folder)
 * anchors relative catalog paths: the server resolves them against its own
 * working directory, which is not what a user editing settings means.
 */
export function toServerSettings(raw: RawSettings, workspaceDir?: string): Mapped {
  const out: ServerSettings = {};
  const problems: string[] = [];
  const drop = (setting: string, why: string): void => {
    problems.push(`entitlint.${setting}: ${why}; ignored`);
  };

  const platforms = [...new Set(stringList(raw.platforms))];
  for (const p of platforms) if (!includes(PLATFORMS, p)) drop(`platforms`, `unknown platform "${p}"`);
  const goodPlatforms = platforms.filter((p) => includes(PLATFORMS, p));
  if (goodPlatforms.length > 0) out.platforms = goodPlatforms;

  if (isObject(raw.minVersions)) {
    const mv: Record<string, string> = {};
    for (const [p, v] of Object.entries(raw.minVersions)) {
      const version = isString(v) ? v.trim() : v;
      if (version === '' || version === null || version === undefined) continue;
      if (!includes(PLATFORMS, p)) drop(`minVersions.${p}`, `unknown platform "${p}"`);
      else if (!isString(version) || !VERSION.test(version)) drop(`minVersions.${p}`, `${JSON.stringify(v)} is not a version like 16.0`);
      else mv[p] = version;
    }
    if (Object.keys(mv).length > 0) out.minVersions = mv;
  }

  if (isString(raw.distribution) && raw.distribution.trim() !== '') {
    const d = raw.distribution.trim();
    if (includes(DISTRIBUTIONS, d)) out.distribution = d;
    else drop('distribution', `unknown distribution "${d}"`);
  }

  if (isString(raw.teamID) && raw.teamID.trim() !== '') {
    const t = raw.teamID.trim();
    if (TEAM_ID.test(t)) out.teamID = t;
    else drop('teamID', `"${t}" is not a Team ID (10 upper-case letters and digits)`);
  }

  if (isObject(raw.rules)) {
    const rules: Record<string, string> = {};
    for (const [id, sev] of Object.entries(raw.rules)) {
      if (!RULE_ID.test(id)) drop(`rules`, `"${id}" is not a rule ID`);
      else if (!isString(sev) || !includes(SEVERITIES, sev)) drop(`rules.${id}`, `${JSON.stringify(sev)} is not one of ${SEVERITIES.join(', ')}`);
      else rules[id] = sev;
    }
    if (Object.keys(rules).length > 0) out.rules = rules;
  }

  const catalogs = stringList(raw.catalogs).map((c) => {
    const p = workspaceDir ? c.replace(/\$\{workspaceFolder\}/g, workspaceDir) : c;
    return workspaceDir && !path.isAbsolute(p) ? path.resolve(workspaceDir, p) : p;
  });
  if (catalogs.length > 0) out.catalogs = catalogs;

  if (raw.maxFileSize !== undefined && raw.maxFileSize !== null && raw.maxFileSize !== 0) {
    const n = raw.maxFileSize;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) out.maxFileSize = n;
    else drop('maxFileSize', `${JSON.stringify(n)} is not a positive whole number of bytes`);
  }

  return { settings: out, problems };
}

/** The arguments `entitlint` is started with. */
export function serverArgs(raw: RawSettings): string[] {
  const level = isString(raw.logLevel) && includes(LOG_LEVELS, raw.logLevel) ? raw.logLevel : 'info';
  return ['serve', '--log-level', level];
}

/**
 * Whether new settings can be sent with didChangeConfiguration or need a
 * server restart. The server layers didChangeConfiguration over
 * initializationOptions field by field (rules rule by rule), so a field or
 * rule that was in initializationOptions and is now unset would linger.
 */
export function needsRestart(initial: ServerSettings, next: ServerSettings): boolean {
  for (const key of Object.keys(initial) as (keyof ServerSettings)[]) {
    if (next[key] === undefined) return true;
  }
  for (const id of Object.keys(initial.rules ?? {})) {
    if (next.rules?.[id] === undefined) return true;
  }
  return false;
}
