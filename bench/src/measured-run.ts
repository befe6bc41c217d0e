import { type LoadOptions, runLoad } from './load';
import { cpuMs } from './proc-stats';
import type { RunningService } from './processes';
import { redisCpuMs } from './redis';
import type { LoadRun } from './report';

/** Something whose CPU time (ms, so far) can be read before and after a run. */
export interface CpuProbe {
  name: string;
  read: () => Promise<number | null> | number | null;
}

export function cpuProbes(services: RunningService[], redisUrl: string): CpuProbe[] {
  return [
    ...services.map((service) => ({ name: service.spec.name, read: () => cpuMs(service.pid) })),
    { name: 'redis-server', read: () => redisCpuMs(redisUrl) },
    {
      name: 'bench (autocannon)',
      read: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      },
    },
  ];
}

/** One warm-up and one measured autocannon run, with the CPU time each process spent per 2xx answer. */
export async function measuredRun(
  label: string,
  probes: CpuProbe[],
  options: LoadOptions & { warmup: number },
  log: (text: string) => void = console.log,
): Promise<LoadRun> {
  log(
    `load: ${label} — ${options.connections} connection${options.connections === 1 ? '' : 's'}, ${options.warmup} s warm-up + ${options.duration} s`,
  );
  if (options.warmup > 0)
    await runLoad({ ...options, title: `${options.title} warm-up`, duration: options.warmup });
  const before = await Promise.all(probes.map((p) => p.read()));
  const result = await runLoad(options);
  const after = await Promise.all(probes.map((p) => p.read()));
  const ok = result.requestsPerSec * result.durationSec;
  const cpuMicrosPerRequest: Record<string, number | null> = {};
  probes.forEach((probe, i) => {
    const [start, end] = [before[i], after[i]];
    cpuMicrosPerRequest[probe.name] =
      start == null || end == null || !ok ? null : ((end - start) * 1000) / ok;
  });
  console.log(
    `    ${result.requestsPerSec.toFixed(0)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );
  return { ...result, label, cpuMicrosPerRequest };
}
