// Where a module's bytes go, by function and by crate: reads the code section's body sizes and
// the name section of wasm modules built with their names kept (`TIEUCHI_WASM_NAMES=1 trunk build
// --release --dist target/profile-dist`, as `scripts/bench --profile` does), and data segments.
// Sizes are raw bytes before wasm-opt and gzip: for ranking, not for budgets.
// `node bench/sizes.mjs target/profile-dist/split_assess-*.wasm [more.wasm …]`; TOP=n rows.
import fs from 'node:fs';

const TOP = Number(process.env.TOP || 25);

function leb(buf, at) {
  let result = 0, shift = 0, b;
  do { b = buf[at++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [result, at];
}

function read(file) {
  const buf = fs.readFileSync(file);
  let at = 8;
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let data = 0;
  while (at < buf.length) {
    const id = buf[at++];
    let size;
    [size, at] = leb(buf, at);
    const end = at + size;
    if (id === 2) { // imports: functions imported come first in the index space
      let n, p = at;
      [n, p] = leb(buf, p);
      for (let i = 0; i < n; i++) {
        let len;
        [len, p] = leb(buf, p); p += len;
        [len, p] = leb(buf, p); p += len;
        const kind = buf[p++];
        if (kind === 0) { [, p] = leb(buf, p); imported++; }
        else if (kind === 1) { p++; const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); }
        else if (kind === 2) { const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); }
        else if (kind === 3) { p += 2; }
        else if (kind === 4) { p++; [, p] = leb(buf, p); }
      }
    } else if (id === 10) {
      let n, p = at;
      [n, p] = leb(buf, p);
      for (let i = 0; i < n; i++) {
        let len;
        [len, p] = leb(buf, p);
        bodies.push(len);
        p += len;
      }
    } else if (id === 11) {
      data += size;
    } else if (id === 0) {
      let len, p = at;
      [len, p] = leb(buf, p);
      const name = buf.subarray(p, p + len).toString();
      p += len;
      if (name === 'name') {
        while (p < end) {
          const sub = buf[p++];
          let subSize;
          [subSize, p] = leb(buf, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let n, q = p;
            [n, q] = leb(buf, q);
            for (let i = 0; i < n; i++) {
              let idx, l;
              [idx, q] = leb(buf, q);
              [l, q] = leb(buf, q);
              names.set(idx, buf.subarray(q, q + l).toString());
              q += l;
            }
          }
          p = subEnd;
        }
      }
    }
    at = end;
  }
  return bodies.map((size, i) => ({ size, name: demangle(names.get(imported + i) || `#${imported + i}`) })).concat(data ? [{ size: data, name: '(data segments)' }] : []);
}

// Rust's legacy mangling (`_ZN7tieuchi2ui…17h…E`) back to a path, enough to rank by it.
function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    let j = i;
    while (/[0-9]/.test(name[j])) j++;
    const len = Number(name.slice(i, j));
    if (!len) break;
    parts.push(name.slice(j, j + len));
    i = j + len;
  }
  if (/^h[0-9a-f]{16}$/.test(parts[parts.length - 1] || '')) parts.pop();
  const decode = (p) => p.replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&')
    .replace(/\$C\$/g, ',').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}').replace(/\$u27\$/g, "'").replace(/\.\./g, '::').replace(/^_/, '');
  return parts.map(decode).join('::');
}

// A Rust symbol's crate, or the project's module ("tieuchi::ui::pages::assessment_page").
function owner(name) {
  const m = name.match(/(?:^|[<\s&(])(?:_?<?)?([a-z_][a-z0-9_]*)::([a-z_][a-z0-9_]*)(?:::([a-z_][a-z0-9_]*))?(?:::([a-z_][a-z0-9_]*))?/);
  if (!m) return name.startsWith('(') ? name : 'other';
  if (m[1] === 'tieuchi') return [m[1], m[2], m[3], m[4]].filter(Boolean).slice(0, 4).join('::');
  return m[1];
}

for (const file of process.argv.slice(2)) {
  const fns = read(file);
  const total = fns.reduce((s, f) => s + f.size, 0);
  console.log(`\n${file}: ${fns.length} functions, ${total} B of bodies and data`);
  const by = new Map();
  for (const f of fns) by.set(owner(f.name), (by.get(owner(f.name)) || 0) + f.size);
  console.log('  by crate or module:');
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`    ${String(v).padStart(8)} B  ${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log('  largest functions:');
  for (const f of [...fns].sort((a, b) => b.size - a.size).slice(0, Math.min(TOP, 15))) console.log(`    ${String(f.size).padStart(8)} B  ${f.name.slice(0, 140)}`);
}
