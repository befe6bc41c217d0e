/** Runs in the server process before it handles requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // TRACE, PROPFIND, CONNECT and other methods no page or route serves: 405, not Next's 500.
  const { installMethodGuard } = await import('@bff-auth/bff-next/method-guard');
  installMethodGuard();
}
