/**
 * The demo page end to end in a real browser: a host creates a room, a guest joins by the link, both
 * see the queue, hear (well, see) the same clock, vote to skip, and watch the room learn from a like.
 * Screenshots of the host, the guest and a phone-sized member go to test/e2e/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';
import { artifactPath, ensureClientBuilt, launch, waitForNumber, watchErrors } from './browser.ts';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let host: Page;
let guest: Page;
let joinLink = '';
/** Console errors and crashes per page; asserted empty at the end. */
const pageErrors: string[][] = [];

async function newPage(label: string, viewport = { width: 1440, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  pageErrors.push(watchErrors(page, label));
  return page;
}

const position = (page: Page) =>
  page.locator('#np-progress').evaluate((el) => Number((el as HTMLElement).dataset['positionMs'] ?? NaN));

/** Waits for the room view; fails at once with the lobby's error message when joining failed. */
async function waitForRoom(page: Page): Promise<void> {
  const shown = page.locator('#room').waitFor({ state: 'visible' });
  const failed = page.locator('#lobby-error:not(:empty)').waitFor().then(async () => {
    throw new Error(`joining failed: ${await page.locator('#lobby-error').textContent()}`);
  });
  await Promise.race([shown, failed]);
  failed.catch(() => undefined);
}

async function addTrack(page: Page, query: string, trackId: string): Promise<void> {
  await page.getByLabel('Search the catalog').fill(query);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator(`#search-results li[data-track-id="${trackId}"] button.add`).click();
}

describe('demo client in Chromium', () => {
  beforeAll(async () => {
    ensureClientBuilt();
    // The real learner thread: the recommendations panel must show what it learned.
    server = await startServer({ config: { learner: true } });
    browser = await launch();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  it('the host creates a room from the lobby', async () => {
    host = await newPage('host');
    await host.goto(server.url);
    await host.getByLabel('Your name').fill('Hana Host');
    await host.getByLabel('Room name').fill('E2E party');
    await host.getByRole('button', { name: 'Create room' }).click();
    await waitForRoom(host);
    await expect.poll(() => host.locator('#room-code').textContent()).toMatch(/^[A-Z0-9]{4,12}$/);
    await expect.poll(() => host.locator('#me-role').textContent()).toBe('host');
    joinLink = (await host.locator('#join-link').getAttribute('href')) ?? '';
    expect(joinLink).toMatch(/\?room=[A-Z0-9]+$/);
    await expect.poll(() => host.locator('#share img.qr').count()).toBe(1);
  });

  it('a guest joins by the link', async () => {
    guest = await newPage('guest');
    await guest.goto(joinLink);
    await guest.locator('#join-first').waitFor({ state: 'visible' });
    await guest.getByLabel('Your name').fill('Gus Guest');
    await guest.getByRole('button', { name: 'Join', exact: true }).click();
    await waitForRoom(guest);
    await expect.poll(() => guest.locator('#me-role').textContent()).toBe('member');
    for (const page of [host, guest]) {
      await expect.poll(() => page.locator('#members-list li').count()).toBe(2);
    }
    // The clock synced (offset and round trip shown) on both.
    for (const page of [host, guest]) {
      await expect.poll(() => page.locator('#sync-rtt').textContent()).toMatch(/ms$/);
    }
  });

  it('the host raises the skip threshold; the guest sees the setting but cannot change it', async () => {
    await host.getByLabel('Skip threshold (share of members)').fill('1');
    await host.getByLabel('Skip threshold (share of members)').press('Tab');
    await expect.poll(() => guest.locator('#settings-summary').textContent()).toContain('skip at 100% of members');
    expect(await guest.locator('#settings-form').isHidden()).toBe(true);
  });

  it('tracks added by either side show on both, with who added them', async () => {
    await addTrack(host, 'Track t5', 't5');
    await addTrack(guest, 'Track t7', 't7');
    for (const page of [host, guest]) {
      await page.locator('#queue-list li[data-track-id="t5"]').waitFor();
      await page.locator('#queue-list li[data-track-id="t7"]').waitFor();
    }
    expect(await guest.locator('#queue-list li[data-track-id="t5"]').textContent()).toContain('added by Hana Host');
    expect(await host.locator('#queue-list li[data-track-id="t7"]').textContent()).toContain('added by Gus Guest');
  });

  it('the host plays and both progress bars move in step', async () => {
    await host.locator('#play-btn').click();
    for (const page of [host, guest]) {
      await expect.poll(() => page.locator('#np-title').textContent()).toBe('Track t5');
    }
    const [h0, g0] = [await position(host), await position(guest)];
    await waitForNumber(() => position(host), (p) => p > h0 + 800, 'the host bar to move');
    await waitForNumber(() => position(guest), (p) => p > g0 + 800, 'the guest bar to move');
    // Same server clock on both pages: read both as close together as possible.
    const [h1, g1] = await Promise.all([position(host), position(guest)]);
    expect(Math.abs(h1 - g1)).toBeLessThan(500);
  });

  it('with sound on, both devices schedule the same loop step at the same moment', async () => {
    // Headless Chromium has a running audio clock (no speakers needed); the click is the user gesture.
    for (const page of [host, guest]) {
      await page.locator('#sound-btn').click();
      await expect.poll(() => page.locator('#sound-btn').getAttribute('aria-pressed')).toBe('true');
      await page.locator('#sound-btn[data-notes]').waitFor({ state: 'attached' });
    }
    const step = (page: Page) => page.locator('#sound-btn').evaluate((el) => Number((el as HTMLElement).dataset['step']));
    const [hs, gs] = await Promise.all([step(host), step(guest)]);
    // 120 BPM → 125 ms steps, queued 150 ms ahead: in step means at most one step apart.
    expect(Math.abs(hs - gs)).toBeLessThanOrEqual(1);
    for (const page of [host, guest]) await page.locator('#sound-btn').click();
  });

  it('the guest votes to skip and the host sees the live count against the threshold', async () => {
    await guest.locator('#skip-vote-btn').click();
    await expect.poll(() => host.locator('#skip-count').textContent()).toBe('1 / 2 to skip');
    expect(await host.locator('#np-title').textContent()).toBe('Track t5');
  });

  it('a dropped connection shows the banner, then reconnects and resyncs', async () => {
    const userId = await guest.evaluate(() => (JSON.parse(localStorage.getItem('chorus.identity') ?? '{}') as { userId?: string }).userId);
    const sockets = await server.app.io.fetchSockets();
    const target = sockets.find((s) => s.data.userId === userId);
    expect(target).toBeDefined();
    // Close the transport under the client (not a server "disconnect", which forbids reconnecting).
    (server.app.io.sockets.sockets.get(target!.id) as unknown as { conn: { close(): void } }).conn.close();
    await guest.locator('body[data-drops="1"]').waitFor({ state: 'attached' });
    await guest.locator('#conn-banner').waitFor({ state: 'hidden' });
    await expect.poll(() => guest.locator('#announcer').textContent()).toMatch(/^Reconnected/);
    await expect.poll(() => guest.locator('#np-title').textContent()).toBe('Track t5');
  });

  it('a like produces a recs:updated that shows in the panel', async () => {
    await guest.locator('#like-btn').click();
    await expect.poll(() => guest.locator('#like-btn').getAttribute('aria-pressed')).toBe('true');
    // The push that learned from this very like (its interaction ids are in `learned`).
    await guest.locator('#recs[data-learned-mine]').waitFor({ timeout: 30_000 });
    for (const page of [host, guest]) {
      await page.locator('#recs-list li').first().waitFor();
      await page.locator('#weights-svg polyline').first().waitFor({ state: 'attached' });
    }
  });

  it('a phone-sized member joins by code, and screenshots are saved', async () => {
    const phone = await newPage('phone', { width: 390, height: 844 });
    const code = (await host.locator('#room-code').textContent()) ?? '';
    await phone.goto(server.url);
    await phone.getByLabel('Your name').fill('Pia Phone');
    await phone.getByLabel('Room code or link').fill(code.toLowerCase());
    await phone.getByRole('button', { name: 'Join', exact: true }).click();
    await waitForRoom(phone);
    await expect.poll(() => host.locator('#members-list li').count()).toBe(3);
    // Every control has an accessible name (text, aria-label or a <label>).
    const unnamed = await phone.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, input, select'))
        .filter((el) => !el.closest('[hidden]'))
        .filter((el) => {
          const labelled = el instanceof HTMLButtonElement ? false : ((el as HTMLInputElement).labels?.length ?? 0) > 0;
          return !labelled && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.textContent?.trim();
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    // No horizontal scrolling at 390 px.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await waitForNumber(() => position(phone), (p) => p > 0, 'the phone bar to move');

    // Toasts fade on their own after a few seconds; clear them so they do not cover the panels.
    for (const page of [host, guest, phone]) await page.evaluate(() => document.getElementById('toast')?.setAttribute('hidden', ''));
    await host.screenshot({ path: artifactPath('host.png'), fullPage: true });
    await guest.screenshot({ path: artifactPath('guest.png'), fullPage: true });
    await phone.screenshot({ path: artifactPath('phone.png'), fullPage: true });
    expect(pageErrors.flat()).toEqual([]);
  });
});
