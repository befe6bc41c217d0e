const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const withSeconds = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** A timestamp for tables and detail lists; `fallback` when there is none. */
export function formatTime(value: string | null | undefined, fallback = '—', seconds = false): string {
  if (!value) return fallback;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return fallback;
  return (seconds ? withSeconds : dateTime).format(date);
}

/** The first message of each field of a 422 `details` object, keyed by the top-level field name. */
export function firstFieldErrors(details: Record<string, string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, messages] of Object.entries(details ?? {})) {
    const field = path.split('.')[0] || '_';
    if (!out[field] && messages[0]) out[field] = messages[0];
  }
  return out;
}

/** The query string of `params` without empty values, with its leading `?` (or ''). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
