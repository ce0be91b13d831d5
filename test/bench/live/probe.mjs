// Preloaded into the measured server processes (`node --import tsx --import ./probe.mjs …`), so the
// server code stays untouched and Chorus and the floor are measured the same way: event-loop delay
// (perf_hooks), RSS and CPU time, asked for over the IPC channel the bench opened (probe-types.ts).
// Plain JavaScript on purpose: --import is inherited by the server's worker threads (the learner),
// where tsx's loader is not active, so a .ts preload would kill them.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const RESOLUTION_MS = 10;
/**
 * BENCH_PROF_WINDOW=<s> (with BENCH_PROF=<dir>): a CPU profile of this process's main thread over the
 * first <s> seconds of the measured window only (--cpu-prof covers the whole run, set-up included), of
 * the main thread and of every worker thread (told over a BroadcastChannel when the window opens).
 */
const channel = new BroadcastChannel('chorus-bench-probe');
channel.unref();
if (!isMainThread) channel.onmessage = () => profileWindow(`thread-${threadId}`);
let profiled = false;
function profileWindow(name) {
  const seconds = Number(process.env.BENCH_PROF_WINDOW);
  const dir = process.env.BENCH_PROF;
  if (profiled || !dir || !(seconds > 0)) return;
  profiled = true;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () =>
    session.post('Profiler.start', () =>
      setTimeout(() => {
        session.post('Profiler.stop', (err, res) => {
          if (!err) writeFileSync(path.join(dir, `window-${process.pid}-${name}.cpuprofile`), JSON.stringify(res.profile));
          session.disconnect();
        });
      }, seconds * 1000).unref(),
    ),
  );
}


if (isMainThread && process.send) {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  let rssMax = 0;
  let cpu = process.cpuUsage();
  let since = performance.now();
  const sampleRss = () => void (rssMax = Math.max(rssMax, process.memoryUsage.rss()));
  setInterval(sampleRss, 500).unref();
  // The histogram records whole timer intervals (resolution + delay): report only the delay.
  /** @param {number} ns */
  const delay = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

  process.on('message', (/** @type {{probe?: string, id?: number}} */ msg) => {
    if (typeof msg !== 'object' || msg === null || !('probe' in msg)) return;
    if (msg.probe === 'reset') {
      h.reset();
      rssMax = 0;
      cpu = process.cpuUsage();
      since = performance.now();
      profileWindow('main');
      channel.postMessage('window');
    }
    sampleRss();
    const used = process.cpuUsage(cpu);
    process.send?.({
      probe: 'stats',
      id: msg.id,
      eventLoopDelayMs: {
        p50: delay(h.percentile(50)),
        p95: delay(h.percentile(95)),
        p99: delay(h.percentile(99)),
        max: delay(h.max),
        mean: delay(h.mean),
        n: h.count,
      },
      rssBytes: process.memoryUsage.rss(),
      rssMaxBytes: rssMax,
      cpuPercent: ((used.user + used.system) / 1000 / Math.max(1, performance.now() - since)) * 100,
    });
  });
  // Listening on the channel must not keep a server alive that is otherwise done.
  process.channel?.unref();
}
