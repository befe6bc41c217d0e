/** Runs in the server process before it handles requests (Next.js calls it once per server start). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // TRACE, PROPFIND, CONNECT and other methods no page or route serves: 405, not Next's 500.
  const { installMethodGuard } = await import('@bff-auth/bff-next/method-guard');
  installMethodGuard();
  // Tracing for the Node.js runtime (SPEC §11): nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const { registerTracing } = await import('@bff-auth/bff-next/instrumentation');
  registerTracing('user-web');
}
