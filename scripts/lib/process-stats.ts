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

/** The local stack's servers, told apart by command name or command line. */
const STACK_SERVERS: { name: string; matches: (comm: string, cmdline: string) => boolean }[] = [
  { name: 'PostgreSQL', matches: (comm) => comm === 'postgres' },
  { name: 'Kafka', matches: (_, cmd) => /kafka\.Kafka|conf\/kafka/.test(cmd) },
  { name: 'Redis', matches: (comm) => comm === 'redis-server' },
  { name: 'Elasticsearch', matches: (_, cmd) => /elasticsearch|stack\.es\.home/i.test(cmd) },
  { name: 'ClickHouse', matches: (comm) => comm.startsWith('clickhouse') },
  { name: 'Zipkin', matches: (_, cmd) => cmd.includes('zipkin-server') },
  { name: 'Prometheus', matches: (comm) => comm === 'prometheus' },
  { name: 'maildev', matches: (_, cmd) => cmd.includes('maildev') },
];

/**
 * CPU time each of the local stack's servers has used so far, seconds: every process of the
 * server, plus what its ended children used (PostgreSQL's backends of closed connections).
 */
export function stackServerCpuSeconds(): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(STACK_SERVERS.map((s) => [s.name, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const server = STACK_SERVERS.find((s) => s.matches(comm, cmdline));
      if (!server) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime; and cutime, cstime (reaped children) counted at the server's root only,
      // where its children are not counted again as processes of their own.
      const ppid = Number(fields[1]);
      const own = Number(fields[11]) + Number(fields[12]);
      const reaped = ppid === 1 ? Number(fields[13]) + Number(fields[14]) : 0;
      totals[server.name]! += (own + reaped) / 100;
    } catch {
      // process ended while listing
    }
  }
  return totals;
}

/** The whole machine's CPU time so far (all cores), seconds: busy and in total. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  return { busy: busy / 100, total: (busy + idle! + iowait!) / 100 };
}
