import { type LoadResult, runLoad } from './load';
import { latestMemoryEntry } from './memory-log';
import { residentMb } from './proc-stats';

/** Growth below this many MB is noise (GC timing, allocator pages)… */
export const SOAK_NOISE_MB = 8;
/** …or below this fraction of the starting value, whichever is larger. */
export const SOAK_NOISE_FRACTION = 0.05;

const MB = 1024 * 1024;

/** One sample of one service: resident memory from /proc, the V8 heap from the service's own memory log. */
export interface MemorySample {
  atSec: number;
  rssMb: number;
  /** V8 heap in use (live objects and not yet collected garbage); null when the service's log had no entry. */
  heapUsedMb: number | null;
  /** V8 heap reserved. */
  heapTotalMb: number | null;
  /** V8 heap in use after the latest major GC: live data, the leak signal; null before the first one. */
  heapAfterGcMb: number | null;
}

/** How one quantity moved over the soak. */
export interface SeriesStats {
  startMb: number;
  endMb: number;
  maxMb: number;
  /** Least-squares slope over the samples taken under load, MB per minute. */
  slopeMbPerMin: number;
  /** Median of the last third of the samples under load minus the median of the first third. */
  growthMb: number;
  noiseMb: number;
  withinNoise: boolean;
}

export interface ServiceMemory {
  name: string;
  samples: MemorySample[];
  rss: SeriesStats;
  /** null when the service never reported its heap. */
  heapUsed: SeriesStats | null;
  /** Heap after major GCs; null when none happened during the soak. */
  heapAfterGc: SeriesStats | null;
}

export interface SoakResult {
  durationSec: number;
  sampleEverySec: number;
  load: LoadResult;
  /** One entry per sampled service, in the order given (user-web first). */
  services: ServiceMemory[];
}

/** A process the soak samples: its pid (RSS from /proc) and its memory log (heap; see memory-probe.cjs). */
export interface SoakedService {
  name: string;
  pid: number;
  memoryLog?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function slope(points: { x: number; y: number }[]): number {
  const count = points.length;
  if (count < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / count;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / count;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.x - meanX) * (p.y - meanY);
    denominator += (p.x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Start, end, max, slope and growth of one series. The sample at 0 s is the idle process: the heap
 * grows to its working size within the first seconds of load, which is not growth over the soak, so
 * slope and growth use the samples under load; growth compares medians of the first and last thirds,
 * so one sample taken just before a major GC does not decide the verdict.
 */
export function seriesStats(points: { atSec: number; mb: number }[]): SeriesStats {
  const values = points.map((p) => p.mb);
  const underLoad = points.length > 2 ? points.slice(1) : points;
  const loaded = underLoad.map((p) => p.mb);
  const third = Math.max(1, Math.floor(loaded.length / 3));
  const growthMb = median(loaded.slice(-third)) - median(loaded.slice(0, third));
  const noiseMb = Math.max(SOAK_NOISE_MB, values[0]! * SOAK_NOISE_FRACTION);
  return {
    startMb: values[0]!,
    endMb: values.at(-1)!,
    maxMb: Math.max(...values),
    slopeMbPerMin: slope(underLoad.map((p) => ({ x: p.atSec / 60, y: p.mb }))),
    growthMb,
    noiseMb,
    withinNoise: growthMb <= noiseMb,
  };
}

/**
 * Hits one route continuously for `durationSec` and samples every service's resident memory and V8
 * heap every `sampleEverySec`. The services run at V8's default heap limit, as `npm start` runs them.
 */
export async function soak(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  sampleEverySec: number;
  services: SoakedService[];
  onSample?: (atSec: number, samples: { name: string; sample: MemorySample }[]) => void;
}): Promise<SoakResult> {
  const series = options.services.map((service) => ({ service, samples: [] as MemorySample[] }));
  const sample = (atSec: number) => {
    const taken: { name: string; sample: MemorySample }[] = [];
    for (const { service, samples } of series) {
      const rssMb = residentMb(service.pid);
      if (rssMb === null) continue;
      const heap = service.memoryLog ? latestMemoryEntry(service.memoryLog) : null;
      const entry: MemorySample = {
        atSec: Math.round(atSec),
        rssMb,
        heapUsedMb: heap ? heap.heapUsed / MB : null,
        heapTotalMb: heap ? heap.heapTotal / MB : null,
        heapAfterGcMb: typeof heap?.heapAfterGc === 'number' ? heap.heapAfterGc / MB : null,
      };
      samples.push(entry);
      taken.push({ name: service.name, sample: entry });
    }
    options.onSample?.(Math.round(atSec), taken);
  };
  sample(0);
  let nextAt = options.sampleEverySec;
  const load = await runLoad({
    title: 'soak',
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: options.durationSec,
    onTick: (elapsed) => {
      if (elapsed + 0.5 < nextAt) return;
      nextAt += options.sampleEverySec;
      sample(elapsed);
    },
  });
  sample(load.durationSec);
  const services = series.map(({ service, samples }): ServiceMemory => {
    if (!samples.length)
      throw new Error(`soak: the resident memory of ${service.name} could not be read (/proc)`);
    const points = (pick: (s: MemorySample) => number | null) =>
      samples.flatMap((s) => {
        const mb = pick(s);
        return mb === null ? [] : [{ atSec: s.atSec, mb }];
      });
    const heapPoints = points((s) => s.heapUsedMb);
    const afterGcPoints = points((s) => s.heapAfterGcMb);
    return {
      name: service.name,
      samples,
      rss: seriesStats(points((s) => s.rssMb)),
      heapUsed: heapPoints.length ? seriesStats(heapPoints) : null,
      heapAfterGc: afterGcPoints.length ? seriesStats(afterGcPoints) : null,
    };
  });
  return { durationSec: load.durationSec, sampleEverySec: options.sampleEverySec, load, services };
}
