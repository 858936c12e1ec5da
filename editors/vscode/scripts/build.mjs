// Bundles the extension and vscode-languageclient into one file, so the
// .vsix needs no node_modules. `vscode` is provided by the editor.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18', // VS Code 1.82 runs extensions on Node 18
  external: ['vscode'],
  minify: true,
  sourcemap: process.argv.includes('--sourcemap') ? 'linked' : false,
  logLevel: 'warning',
});
