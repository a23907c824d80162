import { type ComponentType, createElement, type LazyExoticComponent, lazy } from "react";
import { matchPath } from "./router/router";

export interface RouteDef {
  path: string;
  title: string;
  /** Shown in the sidebar. */
  nav?: boolean;
  operatorOnly?: boolean;
  component: PageEntry;
}

// Each page is its own chunk: the first page loads only what it shows. A page whose chunk has arrived renders
// at once; only one still loading suspends (React reveals suspended content up to 300 ms late, so the first page's
// chunk is fetched beside the session check, and the others once the first page is up).
type PageProps = { params: Record<string, string> };

export interface PageEntry {
  /** The page's component once its chunk has arrived. */
  loaded?: ComponentType<PageProps>;
  /** The same, suspending until the chunk arrives. */
  lazy: LazyExoticComponent<ComponentType<PageProps>>;
  preload(): Promise<unknown>;
}

const page = <K extends string>(
  load: () => Promise<Record<K, ComponentType<PageProps>>>,
  name: K,
): PageEntry => {
  const entry: PageEntry = {
    preload: () =>
      load().then((m) => {
        entry.loaded = m[name];
        return entry.loaded;
      }),
    lazy: lazy(async () => ({ default: (await entry.preload()) as ComponentType<PageProps> })),
  };
  return entry;
};

/** Renders a route's page: at once when its chunk is here, else through Suspense. */
export function PageView(props: { entry: PageEntry; params: Record<string, string> }) {
  return createElement(props.entry.loaded ?? props.entry.lazy, { params: props.params });
}

export const ROUTES: RouteDef[] = [
  { path: "/", title: "Overview", nav: true, component: page(() => import("./pages/overview"), "Overview") },
  {
    path: "/playground",
    title: "Playground",
    nav: true,
    component: page(() => import("./pages/playground/playground"), "Playground"),
  },
  { path: "/jobs", title: "Jobs", nav: true, component: page(() => import("./pages/jobs/jobs"), "Jobs") },
  { path: "/jobs/:jobId", title: "Job", component: page(() => import("./pages/jobs/job-page"), "JobPage") },
  {
    path: "/gallery",
    title: "Gallery",
    nav: true,
    component: page(() => import("./pages/gallery"), "Gallery"),
  },
  {
    path: "/batches",
    title: "Batches",
    nav: true,
    component: page(() => import("./pages/batches/batches"), "Batches"),
  },
  {
    path: "/batches/:batchId",
    title: "Batch",
    component: page(() => import("./pages/batches/batch-page"), "BatchPage"),
  },
  { path: "/keys", title: "API keys", nav: true, component: page(() => import("./pages/keys"), "Keys") },
  {
    path: "/webhooks",
    title: "Webhooks",
    nav: true,
    component: page(() => import("./pages/webhooks/webhooks"), "Webhooks"),
  },
  {
    path: "/usage",
    title: "Usage and billing",
    nav: true,
    component: page(() => import("./pages/usage"), "Usage"),
  },
  {
    path: "/admin",
    title: "Admin",
    nav: true,
    operatorOnly: true,
    component: page(() => import("./pages/admin/admin"), "Admin"),
  },
  {
    path: "/admin/accounts/:accountId",
    title: "Account",
    operatorOnly: true,
    component: page(() => import("./pages/admin/admin-account"), "AdminAccount"),
  },
];

/** Starts loading the chunk of the page at `pathname` (on the first load, beside the session check). */
export function preloadPage(pathname: string): void {
  ROUTES.find((r) => matchPath(r.path, pathname))
    ?.component.preload()
    .catch(() => {});
}

/** Every other page's chunk, once the first page is up, so moving between pages never waits for one. */
export function preloadAllPages(): void {
  for (const route of ROUTES) route.component.preload().catch(() => {});
}
