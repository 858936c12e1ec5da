// Drives a ServerController under the stand-in `vscode` in its own process
// (vscode-languageclient leaves rejections unhandled when a server dies
// while starting, which node's test runner would pin on the test) and
// prints what the user would have seen as JSON.
// usage: node client-scenario.js SCENARIO ENTITLINT_PATH_SETTING
import { notes, output, outputChannel, settings } from './fake-vscode';
import { ServerController } from '../../src/client';

process.on('unhandledRejection', (e) => output.push(`unhandled rejection: ${String(e)}`));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const [scenario, setting] = process.argv.slice(2);
  settings.path = setting;
  const s = new ServerController('/nonexistent-extension-dir', outputChannel);
  let notesBeforeUserRestart = -1;
  switch (scenario) {
    case 'twice': // two automatic starts, then one the user asks for
      await s.restart();
      await s.restart();
      await sleep(300);
      notesBeforeUserRestart = notes.length;
      await s.restart(true);
      await sleep(300);
      break;
    case 'crashes': // wait for the controller to give up
      await s.restart();
      for (let i = 0; i < 900 && notes.length === 0; i++) await sleep(50);
      break;
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
  await s.stop();
  process.stdout.write(JSON.stringify({ notes, notesBeforeUserRestart, output }));
  process.exit(0);
}

void main();
