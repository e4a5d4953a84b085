// Trunk post_build hook: splits the wasm into the first screen and lazily loaded pages
// (scripts/split.mjs), moves the inline module loader Trunk writes into index.html into its
// own hashed file, so the Content-Security-Policy can forbid inline scripts (script-src 'self'),
// then writes the service worker with the precache list of this build.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { writeServiceWorker } from './sw-manifest.mjs';
import { splitWasm } from './split.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set (run through trunk)');
const split = splitWasm(dir, process.env.TRUNK_PROFILE === 'debug' ? 'debug' : 'release');
console.log(`post-build: wasm split into the main module and ${split.chunks} chunks, build ${split.build}`);
const indexPath = path.join(dir, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');

const re = /<script type="module">([\s\S]*?)<\/script>/;
const m = html.match(re);
if (!m) throw new Error('post-build: no inline module script found in index.html');
const body = m[1].trim() + '\n';
const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
const name = `init-${hash}.js`;
fs.writeFileSync(path.join(dir, name), body);
const integrity = 'sha384-' + crypto.createHash('sha384').update(body).digest('base64');
html = html.replace(re, `<script type="module" src="./${name}" integrity="${integrity}"></script>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('post-build: an inline script remains');
fs.writeFileSync(indexPath, html);
console.log(`post-build: loader moved to ${name}`);
const sw = writeServiceWorker(dir, split.build);
console.log(`post-build: sw.js precaches ${sw.files} files, version ${sw.version}`);
