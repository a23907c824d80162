import { router } from "./init";
import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { assetsRouter } from "./routers/assets";
import { batchesRouter } from "./routers/batches";
import { billingRouter } from "./routers/billing";
import { creditsRouter } from "./routers/credits";
import { jobsRouter } from "./routers/jobs";
import { keysRouter } from "./routers/keys";
import { modelsRouter } from "./routers/models";
import { uploadsRouter } from "./routers/uploads";
import { usageRouter } from "./routers/usage";
import { webhooksRouter } from "./routers/webhooks";

export const appRouter = router({
  account: accountRouter,
  admin: adminRouter,
  assets: assetsRouter,
  batches: batchesRouter,
  billing: billingRouter,
  credits: creditsRouter,
  jobs: jobsRouter,
  keys: keysRouter,
  models: modelsRouter,
  uploads: uploadsRouter,
  usage: usageRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
