const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attributes. */
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Content-Security-Policy of our pages: our stylesheet, no framing, scripts only with the nonce. */
export function pageCsp(nonce?: string) {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    nonce ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function layout({ title, body }: { title: string; body: string }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Sign-in</title>
<link rel="stylesheet" href="/assets/auth.css">
</head>
<body>
<main class="card">
<div class="brand" aria-hidden="true">◆</div>
${body}
</main>
</body>
</html>`;
}

export const STYLESHEET = `
:root { color-scheme: light; --ink:#14213d; --muted:#5c677d; --line:#d8dee9; --accent:#2f5bea; --danger:#b42318; --bg:#f4f6fb; }
* { box-sizing: border-box; }
body { margin:0; min-height:100vh; display:grid; place-items:center; background:var(--bg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); }
.card { width:min(420px, calc(100vw - 32px)); background:#fff; border:1px solid var(--line); border-radius:14px;
  padding:32px; box-shadow:0 10px 30px rgba(20,33,61,.08); }
.brand { font-size:28px; color:var(--accent); }
h1 { font-size:1.5rem; margin:.25rem 0 .25rem; }
p.lead { color:var(--muted); margin:0 0 1.5rem; }
form { display:grid; gap:16px; }
label { display:grid; gap:6px; font-weight:600; font-size:.95rem; }
input { font:inherit; padding:10px 12px; border:1px solid var(--line); border-radius:8px; }
input:focus { outline:3px solid rgba(47,91,234,.25); border-color:var(--accent); }
button { font:inherit; font-weight:600; padding:11px 14px; border:0; border-radius:8px; background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--ink); border:1px solid var(--line); }
button:hover { filter:brightness(1.05); }
.alert { border-radius:8px; padding:10px 12px; background:#fef3f2; color:var(--danger); border:1px solid #fecdca; margin-bottom:16px; }
.hint { color:var(--muted); font-size:.85rem; margin-top:18px; }
a.button { display:inline-block; font-weight:600; padding:11px 14px; border-radius:8px; background:var(--accent); color:#fff; text-decoration:none; }
img.qr { display:block; margin:0 auto 8px; }
ul.codes { columns:2; padding-left:1.2rem; margin:0 0 1.5rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.85em; }
`;
