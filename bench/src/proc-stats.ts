import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** pid and all its descendants (a launcher may fork the real server). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pids[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const children = read(`/proc/${pids[i]}/task/${tid}/children`);
      for (const child of children?.trim().split(/\s+/) ?? []) if (child) pids.push(Number(child));
    }
  }
  return pids;
}

/** Resident memory (VmRSS) of the process tree, in MB; null when /proc cannot tell (not Linux). */
export function residentMb(pid: number): number | null {
  let kb = 0;
  let found = false;
  for (const p of processTree(pid)) {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(`/proc/${p}/status`) ?? '');
    if (match) {
      kb += Number(match[1]);
      found = true;
    }
  }
  return found ? kb / 1024 : null;
}

/** User + system CPU time of the process tree so far, in ms; null when /proc cannot tell. */
export function cpuMs(pid: number): number | null {
  let ticks = 0;
  let found = false;
  for (const p of processTree(pid)) {
    const stat = read(`/proc/${p}/stat`);
    if (!stat) continue;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    found = true;
  }
  return found ? (ticks * 1000) / TICKS_PER_SECOND : null;
}
