/**
 * Makes the README's quick-tour screenshots against a running server: a host creates a room and plays,
 * eight bots (npm run bots) join with their tastes, a phone-sized guest joins by the link, and after a
 * while the host, phone and lobby views are saved.
 *
 *   npx tsx client-demo/scripts/capture-tour.ts --url http://localhost:3000 --out docs/img --seconds 60
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    out: { type: 'string', default: 'docs/img' },
    seconds: { type: 'string', default: '60' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const url = values.url.replace(/\/$/, '');
const out = path.resolve(values.out);
const seconds = Number(values.seconds);
const root = fileURLToPath(new URL('../..', import.meta.url));
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
});
const clearToast = (p: Page) => p.evaluate(() => document.getElementById('toast')?.setAttribute('hidden', ''));

try {
  const host = await (await browser.newContext({ viewport: { width: 1440, height: 1360 } })).newPage();
  await host.goto(url);
  await host.getByLabel('Your name').fill('Maya');
  await host.getByLabel('Room name').fill('Friday night');
  await host.getByRole('button', { name: 'Create room' }).click();
  await host.locator('#room').waitFor({ state: 'visible' });
  const code = (await host.locator('#room-code').textContent()) ?? '';
  const link = (await host.locator('#join-link').getAttribute('href')) ?? '';
  console.log(`room ${code}: ${link}`);
  for (let i = 0; i < 3; i++) {
    await host.locator('#search-results li button.add').nth(i * 2).click();
  }
  await host.locator('#queue-list li[data-track-id]').nth(2).waitFor();
  await host.locator('#play-btn').click();

  const bots = spawn(path.join(root, 'node_modules/.bin/tsx'),
    ['client-demo/bots/run-bots.ts', '--url', url, '--room', code, '--members', '8', '--pace', '1500', '--duration', String(seconds + 30)],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(link.replace(/^https?:\/\/[^/]+/, url));
  await phone.getByLabel('Your name').fill('Sam');
  await phone.getByRole('button', { name: 'Join', exact: true }).click();
  await phone.locator('#room').waitFor({ state: 'visible' });

  const lobby = await (await browser.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
  await lobby.goto(link.replace(/^https?:\/\/[^/]+/, url));
  await lobby.getByLabel('Your name').fill('Kim');
  await lobby.screenshot({ path: path.join(out, 'tour-lobby.png') });

  await new Promise((r) => setTimeout(r, seconds * 1000));
  await host.locator('#like-btn').click();
  await new Promise((r) => setTimeout(r, 2000));
  for (const p of [host, phone]) await clearToast(p);
  await host.screenshot({ path: path.join(out, 'tour-host.png') });
  await phone.screenshot({ path: path.join(out, 'tour-phone.png') });
  await phone.locator('#recs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await phone.screenshot({ path: path.join(out, 'tour-phone-recs.png') });
  bots.kill('SIGINT');
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
}
