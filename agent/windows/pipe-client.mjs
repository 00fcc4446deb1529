// A tray stand-in for the Wine tests, run by the Windows node.exe under Wine: a pipe Wine creates is visible only to
// Windows programs under the same Wine. It connects to the pipe and says hello with `secret`: as Windows trays do,
// answering the agent's challenge with a proof (mode `proof`), or by sending the secret itself (mode `token`, which the
// agent must refuse on Windows). It prints every line the agent sends, checks the welcome's proof (`verified`), and
// seals every line after the welcome as the tray does, printing each sealed line opened, with its `seq` as `sealed`.
// It confirms each prompt with `shown` and, when given one, answers it; it ends when the pipe closes or after a minute.
// Mode `flip` is `proof`, then right after the welcome one sealed `shown` with one byte of its box flipped, as a relay
// of the pipe could: the agent must close the connection.
//   node.exe pipe-client.mjs <pipe> <secret> <proof|token|flip> [<answer-json: state, answers>]
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';

const [pipe, secret, mode, answer] = process.argv.slice(2);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
// the derivations of protocol/src/node/tray-crypto.ts, written out again: this stand-in must not share
// the code it tests
const hmac = (text) => createHmac('sha256', secret).update(text);
const proof = (role, agentNonce, trayNonce) => hmac(`fixpoint-tray-${role}\n${agentNonce}\n${trayNonce}`).digest('hex');
const iv = (direction, seq) => Buffer.concat([Buffer.from([0, 0, 0, direction]), Buffer.from(BigInt(seq).toString(16).padStart(16, '0'), 'hex')]);
const trayNonce = randomBytes(32).toString('base64url');
const identity = { user: 'ana', pid: process.pid, version: '1.0.0', language: 'en' };
let agentNonce = null;
/** After the welcome: the key and the next sequence number each way. */
let seal = null;

function sealLine(message) {
  const cipher = createCipheriv('aes-256-gcm', seal.key, iv(1, seal.sent));
  const box = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { type: 'sealed', seq: seal.sent++, box: box.toString('base64url') };
}

function openLine({ type, seq, box }) {
  if (type !== 'sealed' || seq !== seal.due) throw new Error(`not the sealed line ${seal.due}`);
  const bytes = Buffer.from(box, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', seal.key, iv(0, seq));
  decipher.setAuthTag(bytes.subarray(-16));
  const line = Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString('utf8');
  seal.due++;
  return { ...JSON.parse(line), sealed: seq };
}

const socket = connect(pipe);
const send = (message) => socket.write(`${JSON.stringify(seal ? sealLine(message) : message)}\n`);
let buffered = '';
socket.setEncoding('utf8');
socket.on('connect', () => {
  print({ event: 'connected' });
  if (mode === 'token') send({ type: 'hello', token: secret, ...identity });
});
socket.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    let message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (seal) {
      try {
        message = openLine(message);
      } catch (err) {
        print({ event: 'unopened', error: err.message });
        return socket.destroy();
      }
    }
    print(message);
    if (message.type === 'challenge' && mode !== 'token') {
      agentNonce = message.nonce;
      send({ type: 'hello', nonce: trayNonce, proof: proof('tray', agentNonce, trayNonce), ...identity });
    }
    if (message.type === 'welcome' && !seal) {
      print({ event: message.proof === proof('agent', agentNonce, trayNonce) ? 'verified' : 'forged' });
      seal = { key: hmac(`fixpoint-tray-seal\n${agentNonce}\n${trayNonce}`).digest(), sent: 0, due: 0 };
      if (mode === 'flip') {
        const line = sealLine({ type: 'shown', requestId: randomUUID() });
        const box = Buffer.from(line.box, 'base64url');
        box[box.length >> 1] ^= 0x01;
        socket.write(`${JSON.stringify({ ...line, box: box.toString('base64url') })}\n`);
        print({ event: 'flipped', seq: line.seq });
      }
    }
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
