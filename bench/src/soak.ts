import { type LoadResult, runLoad } from './load';
import { residentMb } from './proc-stats';

/** Growth below this many MB is noise (GC timing, allocator pages)… */
export const SOAK_NOISE_MB = 8;
/** …or below this fraction of the starting RSS, whichever is larger. */
export const SOAK_NOISE_FRACTION = 0.05;

export interface SoakResult {
  durationSec: number;
  sampleEverySec: number;
  load: LoadResult;
  samples: { atSec: number; rssMb: number }[];
  firstMb: number;
  lastMb: number;
  maxMb: number;
  /** Median of the last third of the samples under load minus the median of the first third. */
  growthMb: number;
  noiseMb: number;
  withinNoise: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Hits one route continuously for `durationSec` and samples the resident memory of `pid` every
 * `sampleEverySec`. Growth compares the medians of the first and last thirds of the samples taken
 * under load, so one sample taken just before a major GC does not decide the verdict.
 */
export async function soak(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  sampleEverySec: number;
  pid: number;
  onSample?: (sample: { atSec: number; rssMb: number }) => void;
}): Promise<SoakResult> {
  const samples: { atSec: number; rssMb: number }[] = [];
  const sample = (atSec: number) => {
    const rssMb = residentMb(options.pid);
    if (rssMb === null) return;
    const entry = { atSec: Math.round(atSec), rssMb };
    samples.push(entry);
    options.onSample?.(entry);
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
  if (!samples.length) throw new Error('soak: the resident memory of user-web could not be read (/proc)');
  const rss = samples.map((s) => s.rssMb);
  // The sample at 0 s is the idle process: the heap grows to its working size within the first
  // seconds of load, which is not growth over the soak.
  const underLoad = rss.length > 2 ? rss.slice(1) : rss;
  const third = Math.max(1, Math.floor(underLoad.length / 3));
  const growthMb = median(underLoad.slice(-third)) - median(underLoad.slice(0, third));
  const noiseMb = Math.max(SOAK_NOISE_MB, rss[0]! * SOAK_NOISE_FRACTION);
  return {
    durationSec: load.durationSec,
    sampleEverySec: options.sampleEverySec,
    load,
    samples,
    firstMb: rss[0]!,
    lastMb: rss.at(-1)!,
    maxMb: Math.max(...rss),
    growthMb,
    noiseMb,
    withinNoise: growthMb <= noiseMb,
  };
}
