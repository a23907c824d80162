import { useEffect } from "react";
import { JobStream } from "./live/job-stream";
import { SignIn } from "./pages/sign-in";
import { SignUp } from "./pages/sign-up";
import { navigate, useLocation } from "./router/router";
import { preloadAllPages } from "./routes";
import { SessionProvider, useSessionQuery } from "./session/session";
import { Layout } from "./shell/layout";
import { ErrorNote } from "./ui/feedback";
import { Loading } from "./ui/page";

export function App() {
  const session = useSessionQuery();
  const { pathname } = useLocation();
  const signedIn = Boolean(session.data);
  const onAuthPage = pathname === "/sign-in" || pathname === "/sign-up";

  useEffect(() => {
    if (session.isPending) return;
    if (signedIn && onAuthPage) {
      // Signed in on the way to an OAuth consent (an MCP host asking for the account): back to it, a page of the
      // server's own (only /oauth/authorize, so `next` cannot send the person elsewhere).
      const next = new URLSearchParams(window.location.search).get("next");
      if (next?.startsWith("/oauth/authorize?")) window.location.assign(next);
      else navigate("/", { replace: true });
    }
    // The first page is on screen and answers input: `pnpm bench` reads this mark.
    if (performance.getEntriesByName("console-interactive").length === 0) {
      performance.mark("console-interactive");
      setTimeout(preloadAllPages, 1000);
    }
  }, [session.isPending, signedIn, onAuthPage]);

  if (session.isPending)
    return (
      <div className="auth">
        <Loading />
      </div>
    );
  if (session.error)
    return (
      <div className="auth">
        <ErrorNote error={session.error} />
      </div>
    );
  if (!session.data) return pathname === "/sign-up" ? <SignUp /> : <SignIn />;
  return (
    <SessionProvider session={session.data}>
      <JobStream />
      <Layout />
    </SessionProvider>
  );
}
