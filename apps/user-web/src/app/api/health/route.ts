export const dynamic = 'force-dynamic';

/** Liveness of the Next server (used by `npm start`); an empty handler also serves as the bench baseline. */
export function GET() {
  return Response.json({ status: 'success', data: { status: 'ok' } });
}
