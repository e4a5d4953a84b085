// Test harness: an in-process HTTP fault proxy on 127.0.0.1 in front of a CouchDB/pouchdb-server, injecting lost replies, stalls, resets, truncated bodies and synthesized statuses.
//
//   const proxy = await startProxy(couch.url);
//   proxy.fault({ mode: 'drop_after', match: 'POST /tieuchi_p96/_bulk_docs' });
//   … point the client at proxy.url …
//   proxy.log()   // [{ method, path, at, fault, status }]
//   await proxy.stop();
//
// Faults queue in the order given; each request takes the first queued fault whose `match`
// (a substring of the path, or of "METHOD path") fits it, then that fault's `count` drops by one
// and it leaves the queue at 0. A request no fault matches is forwarded as is. CORS preflights
// (OPTIONS) are always forwarded and never consume a fault: the upstream answers CORS itself.
import http from 'node:http';

const MODES = new Set(['pass', 'status', 'stall', 'drop_before', 'drop_after', 'truncate', 'delay']);
// Hop-by-hop headers are not forwarded (RFC 9110 §7.6.1).
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function copyHeaders(src, drop = HOP) {
  const out = {};
  for (const [k, v] of Object.entries(src)) if (!drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

/**
 * Starts the proxy. Resolves `{ url, fault, clear, pending, log, clearLog, stop }`:
 *  - `url` "http://127.0.0.1:P";
 *  - `fault({ mode, count = 1, match = '', status = 500, ms = 1000 })` queues a fault:
 *    `pass` forward untouched (lets `count` matching requests through before later faults),
 *    `status` answer `status` with CORS headers (Origin echoed, credentials true) and
 *      `{"error":"proxy","reason":"injected"}`, never forwarded,
 *    `stall` never answer (the socket stays open until the client gives up or stop()),
 *    `drop_before` destroy the client socket, nothing forwarded,
 *    `drop_after` forward, wait for the whole upstream reply (the write is applied), then destroy
 *      the client socket without replying,
 *    `truncate` forward, then send status + headers (Content-Length of the full body) and the
 *      first half of the body, then destroy the socket,
 *    `delay` wait `ms`, then forward;
 *  - `clear()` empties the fault queue; `pending()` lists the queued faults;
 *  - `log()` every request seen, in arrival order: `{ method, path, at, fault, status }` (`fault`
 *    is the mode applied or null; `status` the code the client got, null if none);
 *  - `clearLog()`; `stop()` closes the listener and every open connection.
 */
export async function startProxy(upstream) {
  const up = new URL(upstream);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(up.hostname)) {
    throw new Error(`faultproxy: upstream must be a loopback address, got ${up.hostname}`);
  }
  const agent = new http.Agent({ keepAlive: false });
  let queue = [];
  let entries = [];
  const sockets = new Set();

  const take = (req) => {
    if (req.method === 'OPTIONS') return null;
    const line = `${req.method} ${req.url}`;
    const i = queue.findIndex((f) => line.includes(f.match));
    if (i < 0) return null;
    const f = queue[i];
    f.left -= 1;
    if (f.left <= 0) queue.splice(i, 1);
    return f;
  };

  // Forwards req to the upstream; resolves the upstream response with its whole body buffered
  // (`buffer` true) or streams it to `res` (`buffer` false).
  const forward = (req, res, buffer) => new Promise((resolve, reject) => {
    const headers = copyHeaders(req.headers);
    headers.host = up.host;
    const upReq = http.request({
      host: up.hostname.replace(/^\[|\]$/g, ''), port: up.port || 80, method: req.method,
      path: req.url, headers, agent,
    }, (upRes) => {
      if (!buffer) {
        res.writeHead(upRes.statusCode, copyHeaders(upRes.headers));
        upRes.pipe(res);
        upRes.on('end', () => resolve({ status: upRes.statusCode }));
        upRes.on('error', reject);
        return;
      }
      const chunks = [];
      upRes.on('data', (c) => chunks.push(c));
      upRes.on('end', () => resolve({ status: upRes.statusCode, headers: upRes.headers, body: Buffer.concat(chunks) }));
      upRes.on('error', reject);
    });
    upReq.on('error', reject);
    req.pipe(upReq);
  });

  const server = http.createServer(async (req, res) => {
    const f = take(req);
    const entry = { method: req.method, path: req.url, at: Date.now(), fault: f ? f.mode : null, status: null };
    entries.push(entry);
    const mode = f ? f.mode : 'pass';
    const fail = (e) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'proxy', reason: `upstream: ${e.message}` }));
        entry.status = 502;
      } else {
        res.destroy();
      }
    };
    try {
      switch (mode) {
        case 'status': {
          req.resume();
          const h = { 'content-type': 'application/json', 'cache-control': 'no-store' };
          if (req.headers.origin) {
            h['access-control-allow-origin'] = req.headers.origin;
            h['access-control-allow-credentials'] = 'true';
            h.vary = 'Origin';
          }
          res.writeHead(f.status, h);
          res.end(JSON.stringify({ error: 'proxy', reason: 'injected' }));
          entry.status = f.status;
          return;
        }
        case 'stall':
          req.resume();
          return;
        case 'drop_before':
          req.socket.destroy();
          return;
        case 'drop_after':
          await forward(req, res, true);
          req.socket.destroy();
          return;
        case 'truncate': {
          const r = await forward(req, res, true);
          const h = copyHeaders(r.headers);
          delete h['content-length'];
          h['content-length'] = String(r.body.length);
          res.writeHead(r.status, h);
          entry.status = r.status;
          res.write(r.body.subarray(0, Math.floor(r.body.length / 2)), () => {
            setTimeout(() => req.socket.destroy(), 20);
          });
          return;
        }
        case 'delay':
          await new Promise((r) => setTimeout(r, f.ms));
          if (req.socket.destroyed) return;
        // fall through
        default: {
          const r = await forward(req, res, false);
          entry.status = r.status;
        }
      }
    } catch (e) {
      fail(e);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (err, socket) => socket.destroy());

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    fault({ mode, count = 1, match = '', status = 500, ms = 1000 } = {}) {
      if (!MODES.has(mode)) throw new Error(`faultproxy: unknown mode ${mode}`);
      queue.push({ mode, count, left: count, match, status, ms });
    },
    clear() { queue = []; },
    pending() { return queue.map(({ mode, left, match, status, ms }) => ({ mode, count: left, match, status, ms })); },
    log() { return entries.map((e) => ({ ...e })); },
    clearLog() { entries = []; },
    stop() {
      return new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { agent.destroy(); resolve(); });
      });
    },
  };
}
