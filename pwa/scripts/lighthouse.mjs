// Lighthouse (mobile preset) against a running Partwise, with Debian's chromium.
//   node scripts/lighthouse.mjs [url]          default http://127.0.0.1:8000/
// Prints the accessibility, best-practices and performance scores and what the first load
// transfers of JS and CSS (as served, and gzip-compressed); exits 1 when a target is missed.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const url = process.argv[2] ?? 'http://127.0.0.1:8000/';
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

let lhr;
try {
  ({ lhr } = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(TARGETS),
  }));
} finally {
  await chrome.kill();
}

// The page's own first load (not the service worker precaching the same files afterwards).
const requests = lhr.audits['network-requests'].details.items.filter(
  (r) => ['Script', 'Stylesheet'].includes(r.resourceType) && (r.sessionTargetType ?? 'page') === 'page',
);
const seen = new Map();
for (const r of requests) if (!seen.has(r.url)) seen.set(r.url, r);
let served = 0;
let gzipped = 0;
for (const r of seen.values()) {
  served += r.transferSize;
  const path = new URL(r.url).pathname;
  const file = await readFile(new URL(`../dist${path}`, import.meta.url)).catch(() => null);
  gzipped += file ? gzipSync(file, { level: 9 }).length : r.transferSize;
}

let ok = true;
console.log(`Lighthouse ${lhr.lighthouseVersion} (${lhr.configSettings.formFactor}) on ${lhr.finalDisplayedUrl}`);
for (const [id, target] of Object.entries(TARGETS)) {
  const category = lhr.categories[id];
  const score = Math.round(category.score * 100);
  const pass = score >= target;
  ok &&= pass;
  console.log(`  ${category.title.padEnd(16)} ${String(score).padStart(3)}  (target ${target}) ${pass ? 'ok' : 'MISSED'}`);
  if (!pass || score < 100) {
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) console.log(`      - ${audit.title} (${audit.displayValue ?? audit.score})`);
    }
  }
}
const within = gzipped / 1024 <= BUDGET_KB;
ok &&= within;
console.log(
  `  First-load JS+CSS  ${seen.size} files, ${(served / 1024).toFixed(1)} KB as served, ` +
    `${(gzipped / 1024).toFixed(1)} KB gzip-compressed (budget ${BUDGET_KB} KB) ${within ? 'ok' : 'MISSED'}`,
);
for (const m of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']) {
  console.log(`  ${lhr.audits[m].title.padEnd(26)} ${lhr.audits[m].displayValue}`);
}
process.exit(ok ? 0 : 1);
