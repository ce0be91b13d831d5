/**
 * How busy the whole machine was over a window: every core, every process (the clients, the server, the
 * database, anything else running), read from /proc/stat. The bench's clients and server share the same
 * cores, so a server's latencies are only comparable with its floor's when this is read beside them: a
 * tail that grows while the machine runs near 100 % is waiting for a core, not work of its own.
 * Linux only; elsewhere `readCpuTimes` returns null and the report shows n/a.
 */
import { readFileSync } from 'node:fs';

/** Cumulative jiffies of the aggregate `cpu` line. */
export interface CpuTimes {
  busy: number;
  idle: number;
  steal: number;
}

/** The aggregate line of /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice]. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  // guest time is already counted in user (and guest_nice in nice): not added again.
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

export function readCpuTimes(): CpuTimes | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

export interface MachineCpu {
  /** Share of all cores' time spent running anything (NaN when unknown). */
  busyPercent: number;
  /** Share taken by the hypervisor for other guests (a VM's CPU it did not get). */
  stealPercent: number;
}

export const UNKNOWN_MACHINE_CPU: MachineCpu = { busyPercent: NaN, stealPercent: NaN };

export function machineCpu(from: CpuTimes | null, to: CpuTimes | null): MachineCpu {
  if (!from || !to) return UNKNOWN_MACHINE_CPU;
  const busy = to.busy - from.busy;
  const steal = to.steal - from.steal;
  const all = busy + steal + (to.idle - from.idle);
  if (!(all > 0)) return UNKNOWN_MACHINE_CPU;
  return { busyPercent: (100 * busy) / all, stealPercent: (100 * steal) / all };
}
