// Writes sw.js (from public/sw-template.js) and version.json into a built app folder: the
// precache list is every file in the folder, and the version is a hash of their contents.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const TEMPLATE = new URL('../public/sw-template.js', import.meta.url);

export function writeServiceWorker(dir, build) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  const precache = files.filter((f) => f !== 'sw.js' && f !== 'version.json' && f !== 'sw-template.js').sort();
  const hash = crypto.createHash('sha256');
  for (const f of precache) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  const version = hash.digest('hex').slice(0, 12);
  const list = ['./', ...precache.map((f) => './' + f)];
  // Files without a content hash in their name: their content's, for the worker to keep them
  // across an update when unchanged ("./" is index.html).
  const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;
  const sha = (f) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex').slice(0, 16);
  const content = {};
  for (const f of precache.filter((f) => !HASHED.test(f))) content['./' + f] = sha(f);
  if (content['./index.html']) content['./'] = content['./index.html'];
  const sw = fs.readFileSync(TEMPLATE, 'utf8')
    .replace("'__VERSION__'", JSON.stringify(version))
    .replace('__PRECACHE__', JSON.stringify(list))
    .replace('__CONTENT__', JSON.stringify(content));
  fs.writeFileSync(path.join(dir, 'sw.js'), sw);
  fs.writeFileSync(path.join(dir, 'version.json'), JSON.stringify({ version, build }) + '\n');
  return { version, files: list.length };
}
