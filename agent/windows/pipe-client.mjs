// A tray stand-in for the Wine tests, run by the Windows node.exe under Wine: a pipe Wine creates is visible only to
// Windows programs under the same Wine. It connects to the pipe and says hello with `secret`: as Windows trays do,
// answering the agent's challenge with a proof (mode `proof`), or by sending the secret itself (mode `token`, which the
// agent must refuse on Windows). It prints every line the agent sends, checks the welcome's proof (`verified`),
// confirms each prompt with `shown` and, when given one, answers it; it ends when the pipe closes or after a minute.
//   node.exe pipe-client.mjs <pipe> <secret> <proof|token> [<answer-json: state, answers>]
import { createHmac, randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const [pipe, secret, mode, answer] = process.argv.slice(2);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const send = (message) => socket.write(`${JSON.stringify(message)}\n`);
// the derivation of agent/src/ipc/hello-proof.ts, written out again: this stand-in must not share the code it tests
const proof = (role, agentNonce, trayNonce) => createHmac('sha256', secret).update(`fixpoint-tray-${role}\n${agentNonce}\n${trayNonce}`).digest('hex');
const trayNonce = randomBytes(32).toString('base64url');
const identity = { user: 'ana', pid: process.pid, version: '1.0.0', language: 'en' };
let agentNonce = null;

const socket = connect(pipe);
let buffered = '';
socket.setEncoding('utf8');
socket.on('connect', () => {
  print({ event: 'connected' });
  if (mode === 'token') send({ type: 'hello', token: secret, ...identity });
});
socket.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    print(message);
    if (message.type === 'challenge' && mode === 'proof') {
      agentNonce = message.nonce;
      send({ type: 'hello', nonce: trayNonce, proof: proof('tray', agentNonce, trayNonce), ...identity });
    }
    if (message.type === 'welcome') print({ event: message.proof === proof('agent', agentNonce, trayNonce) ? 'verified' : 'forged' });
    if (message.type !== 'prompt') continue;
    const { requestId } = message.request;
    send({ type: 'shown', requestId });
    if (answer) send({ type: 'answer', requestId, freeText: {}, respondedAt: new Date().toISOString(), ...JSON.parse(answer) });
  }
});
socket.on('error', (err) => print({ event: 'error', code: err.code }));
socket.on('close', () => {
  print({ event: 'closed' });
  process.exit(0);
});
setTimeout(() => process.exit(0), 60_000);
