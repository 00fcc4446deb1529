// A tray stand-in for the Wine tests, run by the Windows node.exe under Wine: a pipe Wine creates is visible only to
// Windows programs under the same Wine. It connects to the pipe, sends the hello it is given (JSON), prints every line
// the agent sends, confirms each prompt with `shown` and, when given one, answers it; it ends when the agent closes the
// pipe or after a minute.
//   node.exe pipe-client.mjs <pipe> <hello-json> [<answer-json: state, answers>]
import { connect } from 'node:net';

const [pipe, hello, answer] = process.argv.slice(2);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const socket = connect(pipe);
let buffered = '';
socket.setEncoding('utf8');
socket.on('connect', () => {
  print({ event: 'connected' });
  socket.write(`${hello}\n`);
});
socket.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    print(message);
    if (message.type !== 'prompt') continue;
    const { requestId } = message.request;
    socket.write(`${JSON.stringify({ type: 'shown', requestId })}\n`);
    if (answer) socket.write(`${JSON.stringify({ type: 'answer', requestId, freeText: {}, respondedAt: new Date().toISOString(), ...JSON.parse(answer) })}\n`);
  }
});
socket.on('error', (err) => print({ event: 'error', code: err.code }));
socket.on('close', () => {
  print({ event: 'closed' });
  process.exit(0);
});
setTimeout(() => process.exit(0), 60_000);
