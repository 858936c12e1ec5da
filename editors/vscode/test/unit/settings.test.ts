import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { launchConfig } from '../../src/launch';
import { needsRestart, serverArgs, toServerSettings } from '../../src/settings';

// What workspace.getConfiguration('entitlint') returns with nothing set:
// the package.json defaults.
const defaults = {
  platforms: [], minVersions: {}, distribution: '', teamID: '', rules: {}, catalogs: [], maxFileSize: 0, logLevel: 'info',
};

describe('toServerSettings', () => {
  it('sends nothing for the defaults', () => {
    assert.deepEqual(toServerSettings(defaults), { settings: {}, problems: [] });
    assert.deepEqual(toServerSettings({}), { settings: {}, problems: [] });
  });

  it('maps every field by its .entitlint.json name', () => {
    const { settings, problems } = toServerSettings({
      ...defaults,
      platforms: ['ios', 'macos'],
      minVersions: { ios: '16.0', macos: '13' },
      distribution: 'app-store',
      teamID: 'ABCDE12345',
      rules: { 'needs-approval': 'off', 'unknown-key': 'error' },
      catalogs: ['/abs/extra.json'],
      maxFileSize: 4096,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      platforms: ['ios', 'macos'],
      minVersions: { ios: '16.0', macos: '13' },
      distribution: 'app-store',
      teamID: 'ABCDE12345',
      rules: { 'needs-approval': 'off', 'unknown-key': 'error' },
      catalogs: ['/abs/extra.json'],
      maxFileSize: 4096,
    });
  });

  it('leaves out blank entries inside fields', () => {
    const { settings, problems } = toServerSettings({
      platforms: [' ', 'ios', 'ios'], minVersions: { ios: '', macos: null }, distribution: '  ', teamID: ' ', catalogs: [''],
    });
    assert.deepEqual(settings, { platforms: ['ios'] });
    assert.deepEqual(problems, []);
  });

  it('drops values the server would reject, and says which', () => {
    const { settings, problems } = toServerSettings({
      platforms: ['ios', 'android'],
      minVersions: { ios: 'sixteen', windows: '10', macos: '14.0' },
      distribution: 'testflight',
      teamID: 'abcde12345',
      rules: { 'unknown-key': 'fatal', 'Bad Rule': 'off', syntax: 'error' },
      maxFileSize: -1,
    });
    assert.deepEqual(settings, { platforms: ['ios'], minVersions: { macos: '14.0' }, rules: { syntax: 'error' } });
    assert.deepEqual(problems, [
      'entitlint.platforms: unknown platform "android"; ignored',
      'entitlint.minVersions.ios: "sixteen" is not a version like 16.0; ignored',
      'entitlint.minVersions.windows: unknown platform "windows"; ignored',
      'entitlint.distribution: unknown distribution "testflight"; ignored',
      'entitlint.teamID: "abcde12345" is not a Team ID (10 upper-case letters and digits); ignored',
      'entitlint.rules.unknown-key: "fatal" is not one of error, warning, info, hint, off; ignored',
      'entitlint.rules: "Bad Rule" is not a rule ID; ignored',
      'entitlint.maxFileSize: -1 is not a positive whole number of bytes; ignored',
    ]);
  });

  it('ignores values of the wrong type', () => {
    const { settings } = toServerSettings({ platforms: 'ios', minVersions: ['ios'], rules: 'off', catalogs: {}, teamID: 42 });
    assert.deepEqual(settings, {});
  });

  it('resolves catalogs against the workspace folder', () => {
    const { settings } = toServerSettings(
      { catalogs: ['tools/extra.json', '${workspaceFolder}/b.json', '/abs/c.json'] },
      '/work/app',
    );
    assert.deepEqual(settings.catalogs, ['/work/app/tools/extra.json', '/work/app/b.json', '/abs/c.json']);
  });
});

describe('serverArgs', () => {
  it('passes the log level to serve', () => {
    assert.deepEqual(serverArgs(defaults), ['serve', '--log-level', 'info']);
    assert.deepEqual(serverArgs({ logLevel: 'debug' }), ['serve', '--log-level', 'debug']);
    assert.deepEqual(serverArgs({ logLevel: 'loud' }), ['serve', '--log-level', 'info']);
  });
});

describe('needsRestart', () => {
  it('sends changes while every initial field stays set', () => {
    assert.equal(needsRestart({}, { teamID: 'ABCDE12345' }), false);
    assert.equal(needsRestart({ platforms: ['ios'] }, { platforms: ['macos'] }), false);
    assert.equal(needsRestart({ rules: { syntax: 'off' } }, { rules: { syntax: 'error', 'unknown-key': 'off' } }), false);
  });

  it('restarts when an initial field or rule is cleared', () => {
    assert.equal(needsRestart({ teamID: 'ABCDE12345' }, {}), true);
    assert.equal(needsRestart({ rules: { syntax: 'off', 'unknown-key': 'off' } }, { rules: { syntax: 'off' } }), true);
  });
});

describe('launchConfig', () => {
  it('is what the extension starts', () => {
    assert.deepEqual(launchConfig('/bin/entitlint', { ...defaults, platforms: ['macos'], teamID: 'bad' }, '/ws'), {
      command: '/bin/entitlint',
      args: ['serve', '--log-level', 'info'],
      cwd: '/ws',
      initializationOptions: { platforms: ['macos'] },
      problems: ['entitlint.teamID: "bad" is not a Team ID (10 upper-case letters and digits); ignored'],
    });
  });
});
