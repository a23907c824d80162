import { router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { batchesRouter } from "./routers/batches";
import { jobsRouter } from "./routers/jobs";
import { modelsRouter } from "./routers/models";
import { webhooksRouter } from "./routers/webhooks";

export const appRouter = router({
  account: accountRouter,
  admin: adminRouter,
  batches: batchesRouter,
  jobs: jobsRouter,
  models: modelsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
