// A language server that starts properly and then dies, every time: the
// crash-loop test needs crashes that never race with initialization.
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const conn = createProtocolConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
conn.onRequest(InitializeRequest.type, () => ({ capabilities: {}, serverInfo: { name: 'crashing-server' } }));
conn.onNotification(InitializedNotification.type, () => {
  process.stderr.write('crashing-server: crashing on purpose\n');
  setTimeout(() => process.exit(3), 100);
});
conn.listen();
