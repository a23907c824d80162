import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { getAuthConfig, type SessionInfo, signUp } from "../api/auth";
import { Link } from "../router/router";
import { CopyButton, Field } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";

export function SignUp() {
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ session: SessionInfo; apiKey: string }>();
  const config = useQuery({ queryKey: ["auth-config"], queryFn: getAuthConfig, staleTime: Infinity });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const { session, apiKey } = await signUp({
        email: String(form.get("email")).trim(),
        password: String(form.get("password")),
        name: String(form.get("name")).trim() || undefined,
      });
      setCreated({ session, apiKey: apiKey.apiKey });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <main className="auth">
        <div className="card">
          <h1>Your account is ready</h1>
          <p>
            This is your first API key. It is shown <strong>once</strong>: copy it now and keep it somewhere
            safe. You can make more, and revoke this one, under API keys.
          </p>
          <div className="secret">
            <code data-testid="new-api-key">{created.apiKey}</code>
            <CopyButton text={created.apiKey} />
          </div>
          <button
            type="button"
            className="button primary"
            onClick={() => client.setQueryData(["session"], created.session)}
          >
            Continue to the console
          </button>
        </div>
      </main>
    );
  }

  if (config.data?.signup === "closed") {
    return (
      <main className="auth">
        <div className="card">
          <h1>Sign-up is closed</h1>
          <p>This server's operator opens accounts. Ask them for an API key, then sign in with it.</p>
          <Link to="/sign-in">Sign in</Link>
        </div>
      </main>
    );
  }

  return (
    <main className="auth">
      <div className="card">
        <div className="stack">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <h1>Create your account</h1>
          <p className="muted">The Free plan: 25 credits, no card. Upgrade whenever you need more.</p>
        </div>
        <form className="stack" onSubmit={submit}>
          <Field label="Name" hint="Your name or your team's; you can leave it empty.">
            {({ id, describedBy }) => (
              <input
                id={id}
                name="name"
                type="text"
                autoComplete="organization"
                aria-describedby={describedBy}
              />
            )}
          </Field>
          <Field label="Email">
            {({ id }) => <input id={id} name="email" type="email" autoComplete="email" required />}
          </Field>
          <Field
            label="Password"
            hint={config.data ? `At least ${config.data.minPasswordLength} characters.` : undefined}
          >
            {({ id, describedBy }) => (
              <input
                id={id}
                name="password"
                type="password"
                autoComplete="new-password"
                required
                minLength={config.data?.minPasswordLength}
                aria-describedby={describedBy}
              />
            )}
          </Field>
          <ErrorNote error={error} />
          <button className="button primary" type="submit" disabled={busy}>
            {busy ? "Creating…" : "Create account"}
          </button>
        </form>
        <p className="small muted">
          Already have an account or an API key? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    </main>
  );
}
