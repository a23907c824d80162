import { Suspense, useEffect, useRef, useState } from "react";
import { Link, matchPath, useLocation } from "../router/router";
import { PageView, ROUTES, type RouteDef } from "../routes";
import { useSession, useSignOut } from "../session/session";
import { Loading } from "../ui/page";
import { NotFound } from "./not-found";

function findRoute(
  pathname: string,
  operator: boolean,
): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    if (route.operatorOnly && !operator) continue;
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

/** The signed-in frame: navigation, the account, and the page of the current route. */
export function Layout() {
  const session = useSession();
  const signOut = useSignOut();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const found = findRoute(pathname, session.operator);
  // The path whose page has the focus: only a move to another path moves the focus.
  const shown = useRef(pathname);

  // A new page moves focus to the page itself, so keyboard and screen reader users start at its top.
  useEffect(() => {
    setMenuOpen(false);
    // Not on the first page, nor when this effect runs again for the same path (React re-runs effects of a tree
    // it hid for a moment): the skip link stays the first stop of a page opened fresh.
    if (shown.current === pathname) return;
    shown.current = pathname;
    main.current?.focus();
  }, [pathname]);

  const current = (path: string) =>
    path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="topbar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" /> Media Engine
        </Link>
        <button
          type="button"
          className="button small"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
      </div>
      <aside className="sidebar" id="sidebar" data-open={menuOpen}>
        <div className="sidebar-inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" /> Media Engine
          </Link>
          <nav className="nav" aria-label="Console">
            {ROUTES.filter((r) => r.nav && (!r.operatorOnly || session.operator)).map((r) => (
              <Link key={r.path} to={r.path} aria-current={current(r.path) ? "page" : undefined}>
                {r.title}
              </Link>
            ))}
            <a href="/docs">API reference</a>
          </nav>
          <div className="sidebar-foot">
            <span>
              Signed in to <strong>{session.accountName}</strong>
              {session.email ? <span className="small"> as {session.email}</span> : null}
            </span>
            <button type="button" className="button small" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </aside>
      <main className="main" id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          {found ? (
            <PageView key={pathname} entry={found.route.component} params={found.params} />
          ) : (
            <NotFound />
          )}
        </Suspense>
      </main>
    </div>
  );
}
