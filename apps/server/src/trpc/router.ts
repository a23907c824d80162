import { router } from "./init";
import { accountRouter } from "./routers/account";
import { jobsRouter } from "./routers/jobs";
import { modelsRouter } from "./routers/models";

export const appRouter = router({
  account: accountRouter,
  jobs: jobsRouter,
  models: modelsRouter,
});

export type AppRouter = typeof appRouter;
