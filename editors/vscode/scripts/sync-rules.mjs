// Keeps the `entitlint.rules` settings schema (one property per rule, for
// completion and hover in settings.json) in step with `entitlint rules`.
// usage: node scripts/sync-rules.mjs ENTITLINT_BINARY [--check]
// --check only reports drift (exit 1), for CI.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [bin, mode] = process.argv.slice(2);
if (!bin) {
  console.error('usage: node scripts/sync-rules.mjs ENTITLINT_BINARY [--check]');
  process.exit(2);
}
const rules = {};
for (const line of execFileSync(bin, ['rules'], { encoding: 'utf8' }).split('\n').slice(1)) {
  // RULE  DEFAULT  [yes]  TITLE, in columns of two or more spaces
  const m = /^(\S+)\s+(error|warning|info|hint|off)\s{2,}(?:yes\s{2,})?(.+)$/.exec(line.trimEnd());
  if (m) rules[m[1]] = { type: 'string', enum: ['error', 'warning', 'info', 'hint', 'off'], description: `${m[3]} (default: ${m[2]})` };
}
if (Object.keys(rules).length === 0) {
  console.error(`sync-rules: no rules read from \`${bin} rules\``);
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const schema = pkg.contributes.configuration.properties['entitlint.rules'];
if (JSON.stringify(schema.properties) === JSON.stringify(rules)) process.exit(0);
if (mode === '--check') {
  const have = Object.keys(schema.properties ?? {});
  const want = Object.keys(rules);
  const added = want.filter((r) => !have.includes(r));
  const removed = have.filter((r) => !want.includes(r));
  console.error(`sync-rules: package.json's entitlint.rules schema is out of date (new: ${added.join(', ') || '-'}; gone: ${removed.join(', ') || '-'}; or titles changed); run node scripts/sync-rules.mjs ${bin}`);
  process.exit(1);
}
schema.properties = rules;
writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
console.log(`sync-rules: ${Object.keys(rules).length} rules written to package.json`);
