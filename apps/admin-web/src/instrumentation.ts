/** Next.js calls this once per server start: tracing for the Node.js runtime (SPEC §11). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { registerTracing } = await import('@bff-auth/bff-next/instrumentation');
    registerTracing('admin-web');
  }
}
