import { router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { jobsRouter } from "./routers/jobs";
import { modelsRouter } from "./routers/models";

export const appRouter = router({
  account: accountRouter,
  admin: adminRouter,
  jobs: jobsRouter,
  models: modelsRouter,
});

export type AppRouter = typeof appRouter;
