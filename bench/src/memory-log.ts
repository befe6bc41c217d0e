import { readFileSync } from 'node:fs';

/** One line of a service's memory log (bench/src/memory-probe.cjs): `process.memoryUsage()` in bytes. */
export interface MemoryLogEntry {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Heap in use just after the latest major GC (live data); null before the first one. */
  heapAfterGc: number | null;
  external: number;
}

/** The newest entry of a memory log; null when there is none yet (or the file cannot be read). */
export function latestMemoryEntry(file: string): MemoryLogEntry | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const entry = JSON.parse(lines[i]!) as MemoryLogEntry;
      if (typeof entry.heapUsed === 'number') return entry;
    } catch {
      // a line being written
    }
  }
  return null;
}
