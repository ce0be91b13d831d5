/**
 * Browser plumbing for the e2e suite: Debian's Chromium through playwright-core (a test tool's own
 * browser download does not work on these machines), the built page, and condition waits.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Build client-demo/dist when missing or stale (the same check `npm start` runs). */
export function ensureClientBuilt(): void {
  const tsx = `${ROOT}node_modules/.bin/tsx`;
  const res = spawnSync(tsx, ['client-demo/scripts/ensure-built.ts'], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building the client failed:\n${res.stdout}\n${res.stderr}`);
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return `${ARTIFACTS}${name}`;
}

/** Collects console errors and page crashes so a failing step can say what the page saw. */
export function watchErrors(page: Page, label: string): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${label} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${label} console: ${msg.text()}`);
  });
  return errors;
}

/** Reads a number from the page until it passes `ok`; fails after the deadline with the last value. */
export async function waitForNumber(
  read: () => Promise<number>,
  ok: (n: number) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = NaN;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last value ${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
