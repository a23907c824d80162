import type { AuthorizationRequest } from "@mcpmediaengine/engine";
import { contentSecurityPolicy, securityHeaderValues } from "../security-headers";

const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string, formTarget?: string): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Media Engine</title>
<link rel="stylesheet" href="/oauth/consent.css">
</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>`;
  const headers = securityHeaderValues();
  // The approval's answer redirects the browser to the client: CSP's form-action covers the redirect too.
  if (formTarget) {
    headers["content-security-policy"] = contentSecurityPolicy().replace(
      "form-action 'self'",
      `form-action 'self' ${formTarget}`,
    );
  }
  return new Response(html, {
    status: 200,
    headers: { ...headers, "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

const HIDDEN_FIELDS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "code_challenge",
  "code_challenge_method",
  "state",
  "scope",
  "resource",
] as const;

/**
 * "Allow <client> to use your account": who asks (the client's name, where its metadata lives), where the answer
 * goes (the redirect URI's host, with a warning when it is this machine, which any program on it can listen on),
 * what it gets, and two buttons. The form carries the request back; the POST checks all of it again.
 */
export function consentPage(args: {
  request: AuthorizationRequest;
  params: Record<string, string | undefined>;
  accountName: string;
  email: string | null;
}): Response {
  const { request } = args;
  const redirect = new URL(request.redirectUri);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(redirect.hostname);
  const from =
    request.client.kind === "metadata_document"
      ? `Its description is published at <strong>${esc(new URL(request.client.clientId).host)}</strong>.`
      : "It registered itself with this server; nobody has checked who made it.";
  const hidden = HIDDEN_FIELDS.filter((name) => args.params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${esc(args.params[name]!)}">`)
    .join("\n");
  return page(
    `Allow ${request.client.clientName}`,
    `<h1>Allow <span class="client">${esc(request.client.clientName)}</span> to use your account?</h1>
<p>${from}</p>
<p>It will be able to generate images, video and speech, spending your account's credits, and to read your jobs
and files — as <strong>${esc(args.email ?? args.accountName)}</strong>, through this server's MCP tools
(<code>${esc(request.resource)}</code>).</p>
<p>After you answer, you go back to <strong>${esc(redirect.host)}</strong>.</p>
${local ? `<p class="warn">That address is on your own computer. Allow only if you just started connecting ${esc(request.client.clientName)} yourself.</p>` : ""}
<form method="post" action="/oauth/authorize">
${hidden}
<div class="actions">
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
</div>
</form>
<p class="muted">Its access lasts until it gives it up, or stops using it for a while.</p>`,
    redirect.origin,
  );
}

/** Not signed in: who asks, and the way to the console's sign-in, which brings the person back here. */
export function signInPage(clientName: string, returnTo: string): Response {
  const signIn = `/sign-in?next=${encodeURIComponent(returnTo)}`;
  return page(
    "Sign in",
    `<h1>Sign in to continue</h1>
<p><strong>${esc(clientName)}</strong> asks to use your Media Engine account. Sign in first; you will then be
asked whether to allow it.</p>
<div class="actions"><a class="button primary" href="${esc(signIn)}">Sign in</a></div>`,
  );
}

/** A request that cannot go back to its client (unknown client, unregistered redirect URI): said to the person. */
export function errorPage(status: number, title: string, message: string): Response {
  const response = page(title, `<h1>${esc(title)}</h1>\n<p>${esc(message)}</p>`);
  return new Response(response.body, { status, headers: response.headers });
}

export const CONSENT_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
.card { max-width: 30rem; margin: 1rem; padding: 1.5rem 1.75rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
h1 { font-size: 1.3rem; line-height: 1.35; margin: 0 0 1rem; }
.client { color: #3b5bdb; }
p { line-height: 1.5; }
code { font-size: 0.9em; word-break: break-all; }
.warn { padding: 0.6rem 0.8rem; border-radius: 8px; background: color-mix(in srgb, #f08c00 18%, Canvas); }
.muted { opacity: 0.7; font-size: 0.9rem; }
.actions { display: flex; gap: 0.75rem; justify-content: flex-end; margin-top: 1.25rem; }
button, .button { font: inherit; padding: 0.55rem 1.1rem; border-radius: 8px; border: 1px solid transparent; cursor: pointer; text-decoration: none; }
.primary { background: #3b5bdb; color: white; }
.secondary { background: transparent; color: inherit; border-color: color-mix(in srgb, CanvasText 30%, transparent); }
button:focus-visible, .button:focus-visible { outline: 3px solid #748ffc; outline-offset: 2px; }
`;
