// The wasm split (Trunk 0.21 has none, trunk-rs/trunk#1022), run by scripts/post-build.mjs over
// the cargo artifact: wasm-split cuts the pages of src/ui/chunks.rs into chunks, wasm-bindgen
// binds the main module, wasm-opt shrinks every module, then names carry content hashes and
// index.html (preload links, SRI, loader) points at the new main module. Trunk's own unsplit
// output is removed from the staging folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const NAME = 'tieuchi';
const sha = (buf, n = 16) => crypto.createHash('sha256').update(buf).digest('hex').slice(0, n);
const sri = (buf) => 'sha384-' + crypto.createHash('sha384').update(buf).digest('base64');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });

export function splitWasm(dir, profile) {
  const artifact = path.join(ROOT, 'target/wasm32-unknown-unknown', profile, `${NAME}.wasm`);
  if (!fs.existsSync(artifact)) throw new Error(`split: no cargo artifact at ${artifact}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-split-'));
  try {
    const cut = path.join(tmp, 'cut');
    const bound = path.join(tmp, 'bound');
    fs.mkdirSync(cut);
    run('wasm-split-cli', [artifact, cut, '--out-name', NAME]);
    run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--out-dir', bound,
      '--out-name', NAME, path.join(cut, `${NAME}.wasm`)]);
    const mainWasm = path.join(bound, `${NAME}_bg.wasm`);
    const chunks = fs.readdirSync(cut).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`).sort();
    // TIEUCHI_WASM_NAMES=1 (the profiling build of scripts/bench) keeps the names: no wasm-opt.
    const release = profile === 'release' && process.env.TIEUCHI_WASM_NAMES !== '1';
    for (const f of [mainWasm, ...chunks.map((c) => path.join(cut, c))]) {
      if (release) run('wasm-opt', ['-Oz', '--strip-debug', '--strip-producers', '--strip-target-features', '--output', f, f]);
    }
    // Content hashes: each chunk and the main wasm by their own bytes; the two JS modules import
    // each other, so both carry the build id, a hash over every module of this build.
    const splitJsName = '__wasm_split.js';
    let splitJs = fs.readFileSync(path.join(cut, splitJsName), 'utf8');
    // A host that does not send `application/wasm` makes instantiateStreaming refuse every chunk
    // (the records would never be read): then the chunk is instantiated from its bytes, as
    // wasm-bindgen's loader does for the main module. A missing file still fails as before.
    const streaming = 'WebAssembly.instantiateStreaming(src, imports)';
    const streamingCount = splitJs.split(streaming).length - 1;
    if (streamingCount !== chunks.length) throw new Error(`split: ${splitJsName} loads ${streamingCount} chunks by ${streaming}, not ${chunks.length}`);
    splitJs = splitJs.split(streaming).join('__instantiate(src, imports)') + `
async function __instantiate(src, imports) {
    const response = await src;
    try {
        return await WebAssembly.instantiateStreaming(response, imports);
    } catch (e) {
        if (!response.ok || response.headers.get('Content-Type') === 'application/wasm') throw e;
        return WebAssembly.instantiate(await response.arrayBuffer(), imports);
    }
}
`;
    let mainJs = fs.readFileSync(path.join(bound, `${NAME}.js`), 'utf8');
    const files = {};
    for (const c of chunks) {
      const bytes = fs.readFileSync(path.join(cut, c));
      const named = `${c.replace(/\.wasm$/, '')}-${sha(bytes)}.wasm`;
      files[named] = bytes;
      const ref = `"./${c}"`;
      if (!splitJs.includes(ref)) throw new Error(`split: ${splitJsName} does not load ${c}`);
      splitJs = splitJs.split(ref).join(`"./${named}"`);
    }
    splitJs = withEarlyFetches(splitJs);
    const wasmBytes = fs.readFileSync(mainWasm);
    const h = crypto.createHash('sha256').update(wasmBytes).update(mainJs).update(splitJs);
    for (const [n, b] of Object.entries(files)) h.update(n).update(b);
    const build = h.digest('hex').slice(0, 16);
    const mainJsName = `${NAME}-${build}.js`;
    const mainWasmName = `${NAME}-${sha(wasmBytes)}_bg.wasm`;
    const splitName = `__wasm_split-${build}.js`;
    // Only the module specifiers change: the imports object keeps the wasm's own module name.
    for (const q of ['"', "'"]) {
      splitJs = splitJs.split(`from ${q}./${NAME}.js${q}`).join(`from ${q}./${mainJsName}${q}`);
      mainJs = mainJs.split(`from ${q}./${splitJsName}${q}`).join(`from ${q}./${splitName}${q}`);
    }
    if (!splitJs.includes(mainJsName)) throw new Error(`split: ${splitJsName} does not import ${NAME}.js`);
    if (chunks.length && !mainJs.includes(splitName)) throw new Error(`split: ${NAME}.js does not import ${splitJsName}`);
    mainJs = mainJs.split(`${NAME}_bg.wasm`).join(mainWasmName);
    files[mainJsName] = Buffer.from(mainJs);
    files[mainWasmName] = wasmBytes;
    files[splitName] = Buffer.from(splitJs);
    if (fs.existsSync(path.join(bound, 'snippets'))) {
      throw new Error('split: wasm-bindgen wrote JS snippets; copy them into the build before using them');
    }

    // Replace Trunk's unsplit main module in the staging folder and in index.html.
    const indexPath = path.join(dir, 'index.html');
    let html = fs.readFileSync(indexPath, 'utf8');
    // Trunk writes its hash as hex without leading zeros: 16 digits, sometimes fewer.
    const old = fs.readdirSync(dir).filter((f) => new RegExp(`^${NAME}-[0-9a-f]{1,16}(_bg\\.wasm|\\.js)$`).test(f));
    const oldJs = old.find((f) => f.endsWith('.js'));
    const oldWasm = old.find((f) => f.endsWith('_bg.wasm'));
    if (!oldJs || !oldWasm) throw new Error(`split: Trunk’s main module not found in the staging folder ${dir}: ${fs.readdirSync(dir).join(', ')}`);
    html = html.split(oldJs).join(mainJsName).split(oldWasm).join(mainWasmName);
    for (const [n, bytes] of [[mainJsName, files[mainJsName]], [mainWasmName, wasmBytes]]) {
      const re = new RegExp(`(<link[^>]*href="\\./${n.replace(/[.]/g, '\\.')}"[^>]*integrity=")[^"]*(")`);
      if (!re.test(html)) throw new Error(`split: no preload link for ${n} in index.html`);
      html = html.replace(re, `$1${sri(bytes)}$2`);
    }
    html = html.replace('<head>', `<head>\n    <meta name="tieuchi-build" content="${build}" />`);
    // The main JS imports the split loader: fetch it beside the main JS, not one round trip later.
    if (chunks.length) {
      const link = `<link rel="modulepreload" href="./${splitName}" crossorigin="anonymous" integrity="${sri(files[splitName])}">`;
      if (!html.includes('</head>')) throw new Error('split: no </head> in index.html');
      html = html.replace('</head>', `${link}</head>`);
    }
    for (const f of old) fs.rmSync(path.join(dir, f));
    for (const [n, b] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), b);
    fs.writeFileSync(indexPath, html);
    return { build, chunks: chunks.length, main: mainWasmName };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Which files each page needs, read from the split's own loader: each split point's file and
// every shared chunk it waits for; a page needs its chunk and the records' (`store`, which
// carries the bundled sets), as `ui::chunks::lazy_page` loads them together. The loader is
// rewritten to name each file once (`__u`), and to ask, as soon as it is evaluated (beside the
// main module, which imports it), for the chunks of the page the app opens on: the URL's, or
// where the officer was when the app was last hidden (where the app returns). On a thin line
// that is one round trip instead of three. Home preloads nothing.
function withEarlyFetches(js) {
  const block = /(?:const (__chunk_\d+)|export const __wasm_split_load_(\w+)) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("([^"]+)", import\.meta\.url\)\);[\s\S]*?\n\}\s*,\s*\[([^\]]*)\]\)/g;
  const urls = [];
  const chunks = {};
  const splits = {};
  for (const m of js.matchAll(block)) {
    const at = urls.push(m[3]) - 1;
    if (m[1]) chunks[m[1]] = at;
    else splits[m[2]] = { at, deps: m[4].split(',').map((d) => d.trim()).filter(Boolean) };
  }
  const filesOf = (split) => {
    const s = splits[split];
    if (!s) throw new Error(`split: the loader has no ${split} (has ${Object.keys(splits).join(', ')})`);
    return [s.at, ...s.deps.map((d) => {
      if (!(d in chunks)) throw new Error(`split: ${split} waits for ${d}, which the loader does not define`);
      return chunks[d];
    })];
  };
  const page = (split) => [...new Set([...filesOf(split), ...filesOf('store')])];
  // The hash paths of src/state/route.rs by the chunk of src/ui/chunks.rs that draws them: `a/`
  // is an assessment itself, `a/roster` its roster page (`#/a/<id>/roster`), and so on.
  const byChunk = {
    assess: ['a/', 'new'],
    cadres: ['a/roster', 'training'],
    frameworks: ['frameworks', 'framework', 'import', 'gaps'],
    records: ['data', 'sync', 'a/conflict', 'guide'],
    results: ['dashboard', 'a/report', 'a/compare'],
  };
  const groups = {};
  const pages = {};
  for (const [split, keys] of Object.entries(byChunk)) {
    groups[split] = page(split);
    for (const k of keys) pages[k] = split;
  }
  urls.forEach((u, i) => {
    const ref = `new URL(${JSON.stringify(u)}, import.meta.url)`;
    if (js.split(ref).length !== 2) throw new Error(`split: ${u} is not loaded exactly once`);
    js = js.replace(ref, `new URL(__u[${i}], import.meta.url)`);
  });
  const early = `
// The chunks of the page the app opens on, asked for now (scripts/split.mjs).
try {
  const groups = ${JSON.stringify(groups)};
  const pages = ${JSON.stringify(pages)};
  const strip = (p) => p.replace(new RegExp('^#?/?'), '');
  let settings = {};
  try { settings = JSON.parse(localStorage.getItem('tieuchi/v1/settings') || '{}') || {}; } catch { /* none */ }
  const path = location.hash ? strip(location.hash) : strip(typeof settings.last_path === 'string' ? settings.last_path : '');
  const [head, , tail] = path.split('/');
  const wanted = [...(groups[pages[head === 'a' ? 'a/' + (tail || '') : head]] || []), ...(settings.lang === 'en' ? ${JSON.stringify(filesOf('strings_en'))} : [])];
  for (const i of new Set(wanted)) {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = new URL(__u[i], import.meta.url).href;
    document.head.append(link);
  }
} catch { /* a preload is only a head start */ }
`;
  const firstImport = js.indexOf('\n', js.indexOf('import '));
  return js.slice(0, firstImport + 1) + `const __u = ${JSON.stringify(urls)};\n` + js.slice(firstImport + 1) + early;
}
