// Render benchmark of the gradebook UI with a 40 x 80 section (issue 6: "40 x 80 renders and scrolls smoothly").
// Serves the built UI (gradebook-service/target/classes/static) and an in-memory API with generated data from
// this process, so it measures the page alone, not the services. Usage (after `mvn -pl gradebook-service package`
// or `npm run build` in gradebook-service/ui):
//   node render-bench.mjs [students=40] [assignments=80] [runs=5]
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { bigSection, fakeJwt } from '../../gradebook-service/ui/test/fixtures.js';

const [nStudents = 40, nAssignments = 80, runs = 5] = process.argv.slice(2).map(Number);
const STATIC = path.resolve(import.meta.dirname, '../../gradebook-service/target/classes/static');
if (!fs.existsSync(path.join(STATIC, 'gradebook/index.html'))) {
  console.error(`no built UI under ${STATIC}: build gradebook-service (or npm run build in its ui/) first`);
  process.exit(2);
}
const data = bigSection(nStudents, nAssignments);
const streams = new Set();
const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://bench');
  if (url.pathname.endsWith('/events')) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  if (url.pathname.startsWith('/api/gradebook/v1/sections/')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(data));
  }
  const file = /^\/gradebook\/(sections\/\d+)?$/.test(url.pathname) ? '/gradebook/index.html' : url.pathname;
  const full = path.join(STATIC, path.normalize(file));
  if (!full.startsWith(STATIC) || !fs.existsSync(full)) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': types[path.extname(full)] || 'application/octet-stream' });
  fs.createReadStream(full).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const token = fakeJwt({ sub: 'bench', sections: [777], exp: Math.floor(Date.now() / 1000) + 3600 });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = [];
for (let run = 0; run < runs; run++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(`${base}/gradebook/sections/777#token=${token}`);
  await page.locator('.live.live').waitFor();
  const r = await page.evaluate(async () => {
    const rendered = performance.getEntriesByName('gradebook:rendered')[0].startTime;
    const sc = document.querySelector('.scroller');
    const frames = [];
    let last = performance.now();
    await new Promise((done) => {
      let i = 0;
      const step = (t) => {
        frames.push(t - last);
        last = t;
        sc.scrollTop = (i * 17) % (sc.scrollHeight - sc.clientHeight + 1);
        sc.scrollLeft = (i * 41) % (sc.scrollWidth - sc.clientWidth + 1);
        if (++i < 300) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    frames.shift();
    frames.sort((a, b) => a - b);
    const q = (p) => frames[Math.floor(p * (frames.length - 1))];
    const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const t0 = performance.now();
    document.querySelector('button.sort[aria-label^="Sort by final"]').click();
    await nextPaint();
    const sortMs = performance.now() - t0;
    return { rendered, p50: q(0.5), p95: q(0.95), max: q(1), sortMs, cells: document.querySelectorAll('td.cell').length };
  });
  // one live update: an SSE score event until the cell shows it
  const sid = String(data.students[5].id);
  const aid = String(data.assignments[3].id);
  const t0 = Date.now();
  for (const s of streams) {
    s.write(`event: score\ndata: ${JSON.stringify({ section_id: 777, student_id: Number(sid), assignment_id: Number(aid), score: 9.75, excused: false, missing: false, student: { id: Number(sid), current: { score: 12, possible: 100, percent: 12, letter: null } } })}\n\n`);
  }
  await page.waitForFunction(([s, a]) => document.querySelector(`td[data-sid="${s}"][data-aid="${a}"]`)?.textContent.trim() === '9.75', [sid, aid], { polling: 'raf' });
  r.liveMs = Date.now() - t0;
  results.push(r);
  await page.close();
}
await browser.close();
server.close();
for (const s of streams) s.destroy();

const med = (k) => {
  const v = results.map((r) => r[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const bundle = fs.readdirSync(path.join(STATIC, 'gradebook/assets')).map((f) => {
  const buf = fs.readFileSync(path.join(STATIC, 'gradebook/assets', f));
  return `${f} ${(buf.length / 1024).toFixed(1)} kB (gzip ${(zlib.gzipSync(buf, { level: 9 }).length / 1024).toFixed(1)} kB)`;
});
console.log(`gradebook UI render bench: ${nStudents} x ${nAssignments} (${results[0].cells} cells), ${runs} runs, median`);
console.log(`  machine: ${os.cpus().length} x ${os.cpus()[0].model}, chromium headless, software rendering`);
console.log(`  grid on screen after navigation start: ${med('rendered').toFixed(0)} ms`);
console.log(`  scrolling (300 frames, both axes): frame p50 ${med('p50').toFixed(1)} ms, p95 ${med('p95').toFixed(1)} ms, max ${med('max').toFixed(1)} ms`);
console.log(`  re-sort all rows until painted: ${med('sortMs').toFixed(0)} ms`);
console.log(`  live score event until the cell shows it: ${med('liveMs')} ms`);
console.log(`  bundle: ${bundle.join(', ')}`);
