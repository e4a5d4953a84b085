// Where a keystroke's time goes: a Chromium timeline trace of real key presses on a fully
// answered 1980 assessment (CPU 4×), summed by event (script, style, layout, paint…) on the
// page's main thread. `node bench/trace.mjs` after `trunk build --release`; KEYS=n presses;
// PLAIN=1 presses into a plain input the app does not listen to, on the same page (the floor).
import { serve, launch } from '../tests/e2e/harness.mjs';
import { assessment, full1980Answers } from './gen.mjs';

const KEYS = Number(process.env.KEYS || 40);
const server = await serve();
const b = await launch({ width: 1024, height: 768 });
try {
  await b.page.goto(server.url + '#/data');
  await b.page.waitForSelector('[data-testid="lang-switch"]');
  await b.page.evaluate((v) => { localStorage.clear(); localStorage.setItem('tieuchi/v1/assessment/bench-0', v); }, JSON.stringify(assessment(0, { answers: full1980Answers() })));
  await b.page.goto('about:blank');
  await b.page.goto(server.url + '#/a/bench-0');
  await b.page.click('[data-testid="criterion-15"]');
  if (process.env.PLAIN === '1') {
    await b.page.evaluate(() => {
      const el = document.createElement('input');
      el.id = 'bench-plain';
      document.querySelector('[data-testid="num-15.1"]').parentElement.append(el);
    });
    await b.page.click('#bench-plain');
  } else {
    await b.page.click('[data-testid="num-15.1"]');
  }
  await b.page.keyboard.press('End');
  const cdp = await b.context.newCDPSession(b.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute', transferMode: 'ReportEvents' });
  for (let k = 0; k < KEYS; k++) {
    await b.page.keyboard.press(k % 2 === 0 ? 'Backspace' : String((k >> 1) % 10));
    await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  }
  await cdp.send('Tracing.end');
  await done;
  // The renderer's main thread: the thread that ran the most EventDispatch events.
  const counts = new Map();
  for (const e of events) if (e.name === 'EventDispatch') counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) || 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const by = new Map();
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== main || e.ph !== 'X' || !e.dur) continue;
    if (!['EventDispatch', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'HitTest', 'ParseHTML', 'MajorGC', 'MinorGC', 'v8.run'].includes(e.name)) continue;
    // Events nest (keydown holds the input event a Backspace fires): by type, not summed.
    const name = e.name === 'EventDispatch' ? `EventDispatch ${e.args?.data?.type}` : e.name;
    by.set(name, (by.get(name) || 0) + e.dur / 1000);
  }
  console.log(`Main-thread time over ${KEYS} key presses (CPU 4×)${process.env.PLAIN === '1' ? ' into a plain input' : ''}, per key press:`);
  for (const [name, ms] of [...by].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(20)} ${(ms / KEYS).toFixed(2).padStart(8)} ms`);
  console.log('(EventDispatch and FunctionCall include the script they run and nest: a Backspace’s keydown holds its input event; style is UpdateLayoutTree.)');
} finally {
  await b.close();
  await server.close();
}
