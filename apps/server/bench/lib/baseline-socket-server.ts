import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

// Fan-out baseline: a bare Socket.IO server that broadcasts one message to every socket on request.
const http = createServer((req, res) => {
  const r = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('r'));
  io.emit('tick', { r });
  res.end('ok');
});
const io = new Server(http, { serveClient: false });
io.on('connection', (s) => s.emit('hello'));
http.listen(0, '127.0.0.1', () =>
  console.log(`baseline socket server on port ${(http.address() as AddressInfo).port}`),
);
