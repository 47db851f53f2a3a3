// The provider stand-in for the loopback mode. It runs in its own process (forked by run.mjs), so
// its work is not on the benchmark's event loop or CPU time, as a real provider's would not be.
// It answers POST /v1/chat/completions with the recorded bytes and reports its port over IPC.
import http from 'node:http';
import { plainExchange, streamExchange } from './recorded-exchanges.mjs';

const plainBody = Buffer.from(plainExchange.body);
const streamEvents = streamExchange.events.map((event) => Buffer.from(event));

function answerPlain(res) {
  res.writeHead(plainExchange.status, { ...plainExchange.headers, 'content-length': plainBody.byteLength });
  res.end(plainBody);
}

/** One write per event, each waiting for the previous one to reach the socket, as a provider streams. */
async function answerStream(res) {
  res.writeHead(streamExchange.status, streamExchange.headers);
  for (const event of streamEvents) {
    await new Promise((resolve, reject) => res.write(event, (error) => (error ? reject(error) : resolve())));
  }
  res.end();
}

const server = http.createServer({ keepAlive: true, noDelay: true }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    let stream = false;
    try {
      stream = JSON.parse(Buffer.concat(chunks).toString('utf8')).stream === true;
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (stream) answerStream(res).catch(() => res.destroy());
    else answerPlain(res);
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
// The parent going away (normally or not) ends this process.
process.on('disconnect', () => process.exit(0));
