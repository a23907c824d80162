import { type ComponentType, lazy } from "react";

export interface RouteDef {
  path: string;
  title: string;
  /** Shown in the sidebar. */
  nav?: boolean;
  operatorOnly?: boolean;
  component: ComponentType<PageProps>;
}

// Each page is its own chunk: the first page loads only what it shows.
type PageProps = { params: Record<string, string> };
const page = <K extends string>(load: () => Promise<Record<K, ComponentType<PageProps>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

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
