/**
 * A bare HTTP + WebSocket server for the fleet baselines (run as its own process, like the backend):
 * `POST /echo` answers at once; `POST /durable` answers once one transaction of one insert committed on the backend's
 * database (`bench/lib/bare-store.ts`); a WebSocket text frame `ping` is echoed; `POST /broadcast` sends the body, as
 * is, to every connected WebSocket client.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { openBareStore } from '../lib/bare-store';

const store = await openBareStore();

const clients = new Set<WebSocket>();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/broadcast') {
      const frame = Buffer.concat(chunks).toString('utf8');
      for (const ws of clients) ws.send(frame);
    }
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    if (req.url === '/durable') void store.commit().then(answer);
    else answer();
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('message', (data) => ws.send(data.toString()));
  ws.on('close', () => clients.delete(ws));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`running at http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => void store.close().then(() => process.exit(0)));
