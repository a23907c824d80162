import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext } from "react";
import { getSession, type SessionInfo, signOut } from "../api/auth";

const SessionContext = createContext<SessionInfo | null>(null);

/** The signed-in account; only rendered inside the signed-in shell. */
export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}

export function useSessionQuery() {
  return useQuery({ queryKey: ["session"], queryFn: getSession, staleTime: 60_000 });
}

export function SessionProvider(props: { session: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

/** Signs out and forgets every cached answer, so nothing of this account stays on screen. */
export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await signOut().catch(() => {});
    forgetAccount(client);
  };
}

/**
 * Back to the sign-in page: the session first (its observer re-renders the app without the signed-in pages), then
 * every other cached answer, which no page shows any more.
 */
export function forgetAccount(client: QueryClient): void {
  client.setQueryData(["session"], null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
}
