// alert-service's progress page in Debian's chromium driven by playwright-core (the browser tool of the e2e tests).
// Run by alert-service's ProgressPageTest:
//   PAGE_URL=<the page_url of an alert> [CHROMIUM=/usr/bin/chromium] [WAIT_MS=60000] node alert-progress.mjs
// Opens the page, waits until the page says the alert is complete (a condition, never a fixed sleep), and prints
// what the page shows as one line of JSON. Playwright owns the browser's profile directory and removes it only after
// the browser has exited.
import { chromium } from 'playwright-core';

const url = process.env.PAGE_URL;
if (!url) throw new Error('PAGE_URL is required');
const timeout = Number(process.env.WAIT_MS || 60000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.complete === 'true', null, { timeout, polling: 100 });
  const seen = await page.evaluate(() => {
    const bar = (channel) => {
      const b = document.querySelector(`[data-channel="${channel}"]`);
      return b && {
        total: b.dataset.total, finished: b.dataset.finished, reached: b.dataset.reached,
        width: b.querySelector('.reached').style.width, counts: b.querySelector('.counts').textContent,
        languages: b.querySelector('.languages')?.textContent ?? null,
      };
    };
    return {
      sms: bar('sms'),
      email: bar('email'),
      unreached: Array.from(document.querySelectorAll('#unreached tbody tr'))
        .map((tr) => Array.from(tr.children).map((td) => td.textContent).join('|')),
      unreachedCount: document.getElementById('unreached-count').textContent,
      state: document.getElementById('state').dataset.state,
      boldInTable: document.querySelectorAll('#unreached b').length,
    };
  });
  process.stdout.write(`${JSON.stringify(seen)}\n`);
} finally {
  await browser.close();
}
