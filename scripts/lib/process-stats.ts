/** Resident memory and CPU time of process trees, read from /proc (Linux). */
import { readFileSync, readdirSync } from 'node:fs';

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(entry));
      byParent.set(ppid, list);
    } catch {
      // process ended while listing
    }
  }
  return byParent;
}

/** Resident memory of a process and all its descendants (tsx wrappers, gateway workers), bytes. */
export function treeRss(pid: number): number {
  const byParent = children();
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${current}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
    stack.push(...(byParent.get(current) ?? []));
  }
  return total;
}

/** Samples the tree's RSS until stopped; returns the peak. */
export function peakRss(pid: number, everyMs = 100): () => number {
  let peak = treeRss(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(pid))), everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, treeRss(pid));
  };
}

/** CPU time (user + system) a process and its descendants have used so far, seconds. */
export function treeCpuSeconds(pid: number): number {
  const byParent = children();
  let ticks = 0;
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop()!;
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone
    }
    stack.push(...(byParent.get(current) ?? []));
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}
