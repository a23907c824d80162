-- Failure edges (issue 15). Each start of a job takes a new lease number; only the run holding the current lease
-- may record the job's result, so a run that was presumed dead (a paused or partitioned worker) and re-queued can no
-- longer write when it wakes. running_on names the worker pool whose run is still working, and stays set after a
-- cancel until that work has really stopped: the plan's concurrency counts it.
ALTER TABLE jobs
  ADD COLUMN lease integer NOT NULL DEFAULT 0,
  ADD COLUMN running_on text;

-- The plan's concurrency counts an account's runs still working; recovery finds the runs of dead workers.
CREATE INDEX jobs_account_running ON jobs (account_id) WHERE running_on IS NOT NULL;

-- The recovery sweep looks for accepted jobs that nothing will run any more.
CREATE INDEX jobs_unfinished_updated_at ON jobs (updated_at) WHERE status IN ('queued', 'processing');
