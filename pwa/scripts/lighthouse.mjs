// Lighthouse (mobile preset) against a running Partwise, with Debian's chromium.
//   node scripts/lighthouse.mjs [url] [--as email:password] [--screens /today,/trends,...]
// Measures the log-in page, then (with --as) logs in through the form and measures each screen
// with the session kept (Lighthouse's storage reset is off for those). Prints the accessibility,
// best-practices and performance scores and, for the first load, what it transfers of JS and
// CSS (as served, and gzip-compressed); exits 1 when a target is missed.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const login = option('--as');
const screens = (option('--screens') ?? '/today,/journal,/checkin,/trends,/digests,/parts,/me').split(',');
const base = new URL(args[0] ?? 'http://127.0.0.1:8000/');
const TARGETS = { accessibility: 100, 'best-practices': 95, performance: 95 };
const BUDGET_KB = 150;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function audit(url, keepStorage) {
  const { lhr } = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(TARGETS),
    disableStorageReset: keepStorage,
  });
  return lhr;
}

/** The page's own JS and CSS (not the service worker precaching the same files afterwards). */
async function firstLoad(lhr) {
  const requests = lhr.audits['network-requests'].details.items.filter(
    (r) => ['Script', 'Stylesheet'].includes(r.resourceType) && (r.sessionTargetType ?? 'page') === 'page',
  );
  const seen = new Map(requests.map((r) => [r.url, r]));
  let served = 0;
  let gzipped = 0;
  for (const r of seen.values()) {
    served += r.transferSize;
    const file = await readFile(new URL(`../dist${new URL(r.url).pathname}`, import.meta.url)).catch(() => null);
    gzipped += file ? gzipSync(file, { level: 9 }).length : r.transferSize;
  }
  return { files: seen.size, served, gzipped };
}

let ok = true;
function report(name, lhr) {
  console.log(`${name}: Lighthouse ${lhr.lighthouseVersion} (${lhr.configSettings.formFactor}) on ${lhr.finalDisplayedUrl}`);
  for (const [id, target] of Object.entries(TARGETS)) {
    const category = lhr.categories[id];
    const score = Math.round(category.score * 100);
    ok &&= score >= target;
    console.log(`  ${category.title.padEnd(16)} ${String(score).padStart(3)}  (target ${target}) ${score >= target ? 'ok' : 'MISSED'}`);
    for (const ref of category.auditRefs) {
      const a = lhr.audits[ref.id];
      if (score < 100 && ref.weight > 0 && a.score !== null && a.score < 1) console.log(`      - ${a.title} (${a.displayValue ?? a.score})`);
    }
  }
}

try {
  const entry = await audit(base.href, false);
  report('log in (first load)', entry);
  const load = await firstLoad(entry);
  const within = load.gzipped / 1024 <= BUDGET_KB;
  ok &&= within;
  console.log(
    `  First-load JS+CSS  ${load.files} files, ${(load.served / 1024).toFixed(1)} KB as served, ` +
      `${(load.gzipped / 1024).toFixed(1)} KB gzip-compressed (budget ${BUDGET_KB} KB) ${within ? 'ok' : 'MISSED'}`,
  );
  for (const m of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']) {
    console.log(`  ${entry.audits[m].title.padEnd(26)} ${entry.audits[m].displayValue}`);
  }

  if (login) {
    const [email, password] = login.split(/:(.*)/s);
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    const page = await browser.newPage();
    await page.goto(base.href, { waitUntil: 'networkidle0' });
    await page.type('input[type=email]', email);
    await page.type('input[type=password]', password);
    await Promise.all([page.waitForFunction(() => !location.hash.startsWith('#/login')), page.click('button[type=submit]')]);
    await page.close();
    await browser.disconnect();
    for (const screen of screens) report(screen, await audit(new URL(`#${screen}`, base).href, true));
  }
} finally {
  await chrome.kill();
}
process.exit(ok ? 0 : 1);
