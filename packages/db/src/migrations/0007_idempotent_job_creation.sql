-- A job created with an Idempotency-Key claims the key in the statement that writes the job, so the key and the
-- job exist together or not at all: a retry finds the job it already made, even if the process died before it
-- answered. Such a key keeps the job's id; its response is the job as accepted, rebuilt from the job row.
alter table idempotency_keys add column job_id text;
