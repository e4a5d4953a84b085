// Tiêu chí service worker. scripts/post-build.mjs fills in VERSION and PRECACHE from the files of
// the release build, so hashed names are always right. Works from any sub-path: every URL is
// resolved against the worker's own location.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
// The content hash of each file whose name carries none (icons, manifest, index.html): an
// update copies such a file from the release before when its content is the same, instead of
// downloading it again (only changed files are downloaded).
const CONTENT = __CONTENT__;
const CACHE = `tieuchi-${VERSION}`;
const BASE = new URL('./', self.location).href;

// Files whose name carries a content hash never change under that name: the copy the page has
// just downloaded (in the HTTP cache, even from a host that sends no ETag and `no-cache`) is
// taken as it is, so a first visit does not download the wasm a second time to precache it.
// Trunk's hashes are hex without leading zeros (16 digits, sometimes 15 or fewer); no file
// without a hash has 12 hex digits before its extension.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;

// An unhashed file kept by an earlier release with the same content (its `x-tieuchi-sha`).
async function kept(url, sha) {
  if (!sha) return undefined;
  for (const key of await caches.keys()) {
    if (!key.startsWith('tieuchi-') || key === CACHE) continue;
    const hit = await (await caches.open(key)).match(url);
    if (hit && hit.headers.get('x-tieuchi-sha') === sha) return hit;
  }
  return undefined;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => Promise.all(PRECACHE.map(async (p) => {
      const url = new URL(p, BASE).href;
      const sha = CONTENT[p];
      const same = await kept(url, sha);
      if (same) return cache.put(url, same);
      const res = await fetch(url, { cache: HASHED.test(p) ? 'force-cache' : 'no-cache' });
      if (!res.ok) throw new Error(`precache ${p}: ${res.status}`);
      if (!sha) return cache.put(url, res);
      // Labelled with its hash only when the bytes received are the build's (a stale proxy's copy
      // is kept unlabelled, so the next update fetches it again rather than keep it for good).
      const body = await res.arrayBuffer();
      const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))]
        .map((x) => x.toString(16).padStart(2, '0')).join('').slice(0, 16);
      const headers = new Headers(res.headers);
      if (digest === sha) headers.set('x-tieuchi-sha', sha);
      return cache.put(url, new Response(body, { status: res.status, statusText: res.statusText, headers }));
    })))
  );
  // A first install takes control at once; an update waits until the page says so (after it
  // saved the draft being edited), see the 'message' handler.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tieuchi-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') self.skipWaiting();
  if (event.data === 'VERSION' && event.source) event.source.postMessage({ version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Connectivity probes always go to the network.
  if (url.searchParams.has('probe')) return;
  // Only the app's own files come from the cache: anything else of this origin (the sync
  // server behind /couch/, its _session and _changes) always goes to the network, untouched.
  const own = PRECACHE.some((p) => new URL(p, BASE).pathname === url.pathname) || url.pathname === new URL('./', BASE).pathname;
  if (!own) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(new URL('index.html', BASE).href))
        .then((hit) => hit || fetch(req))
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(req, { ignoreSearch: true }))
      .then((hit) => hit || fetch(req))
  );
});
