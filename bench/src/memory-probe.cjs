/**
 * Preloaded into each service by the bench (`node --require …/memory-probe.cjs`): appends the main
 * thread's `process.memoryUsage()` as one JSON line to `BENCH_MEMORY_LOG` every
 * `BENCH_MEMORY_SAMPLE_MS` (default 1000), with `heapAfterGc`: the heap in use just after the latest
 * major (mark-sweep) collection, i.e. the live data without garbage — what grows when something leaks.
 * The timer is unref'd, so it never keeps a service alive; without BENCH_MEMORY_LOG it does nothing.
 * Plain CommonJS: it loads before tsx or Next.
 */
const { appendFileSync } = require('node:fs');
const { constants, PerformanceObserver } = require('node:perf_hooks');
const { getHeapStatistics } = require('node:v8');
const { isMainThread } = require('node:worker_threads');

const file = process.env.BENCH_MEMORY_LOG;
const every = Number(process.env.BENCH_MEMORY_SAMPLE_MS) || 1000;

if (file && isMainThread) {
  let heapAfterGc = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        heapAfterGc = getHeapStatistics().used_heap_size;
    }
  }).observe({ entryTypes: ['gc'] });
  const write = () => {
    const m = process.memoryUsage();
    const line = {
      at: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      heapAfterGc,
      external: m.external,
    };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the bench removed its folder: nothing to report to
    }
  };
  write();
  setInterval(write, every).unref();
}
