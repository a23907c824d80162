import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { getAuthConfig, signInWithKey, signInWithPassword } from "../api/auth";
import { Link } from "../router/router";
import { Field, Segmented } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";

type Method = "key" | "password";

export function SignIn() {
  const client = useQueryClient();
  const [method, setMethod] = useState<Method>("password");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const session =
        method === "key"
          ? await signInWithKey(String(form.get("apiKey")).trim())
          : await signInWithPassword(String(form.get("email")).trim(), String(form.get("password")));
      client.setQueryData(["session"], session);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <div className="card">
        <div className="stack">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <h1>Sign in to Media Engine</h1>
          <p className="muted">Generate images, video and speech, and watch your jobs as they run.</p>
        </div>
        <Segmented
          label="Sign in with"
          value={method}
          onChange={(m) => {
            setMethod(m);
            setError(undefined);
          }}
          options={[
            { value: "password", label: "Email" },
            { value: "key", label: "API key" },
          ]}
        />
        <form className="stack" onSubmit={submit}>
          {method === "key" ? (
            <Field
              label="API key"
              hint="Your key stays on the server: the browser keeps only a session cookie."
            >
              {({ id, describedBy }) => (
                <input
                  id={id}
                  name="apiKey"
                  type="password"
                  autoComplete="off"
                  required
                  placeholder="mme_sk_…"
                  aria-describedby={describedBy}
                />
              )}
            </Field>
          ) : (
            <>
              <Field label="Email">
                {({ id }) => <input id={id} name="email" type="email" autoComplete="email" required />}
              </Field>
              <Field label="Password">
                {({ id }) => (
                  <input id={id} name="password" type="password" autoComplete="current-password" required />
                )}
              </Field>
            </>
          )}
          <ErrorNote error={error} />
          <button className="button primary" type="submit" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <SignUpLine />
      </div>
    </main>
  );
}

/** The way to an account for someone without one: sign-up when the operator opened it, else whom to ask. */
function SignUpLine() {
  const config = useQuery({ queryKey: ["auth-config"], queryFn: getAuthConfig, staleTime: Infinity });
  if (!config.data) return null;
  if (config.data.signup === "closed")
    return (
      <p className="small muted" data-testid="signup-closed">
        New here? Sign-up is closed on this server: ask its operator for an API key, then sign in with it.
      </p>
    );
  return (
    <p className="small muted">
      New here? <Link to="/sign-up">Create an account</Link> — the Free plan comes with 25 credits.
    </p>
  );
}
