import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type CopyProgress,
  copyStore,
  LocalAssetStore,
  openS3AssetStore,
  parseS3Url,
} from "@mcpmediaengine/engine";
import { EnvError, readEnv, s3Settings } from "../env";

/** `assets migrate`: the local disk's objects into an S3 store, with MME_S3_* and AWS_* as the engine reads them. */
export async function runAssetsCommand(sub: string | undefined, args: string[]): Promise<number | undefined> {
  if (sub !== "migrate") return undefined;
  const { values } = parseArgs({
    args,
    options: {
      to: { type: "string" },
      from: { type: "string" },
      "verify-existing": { type: "boolean", default: false },
    },
  });
  if (!values.to) throw new EnvError("assets migrate needs --to s3://bucket/prefix.");
  const location = parseS3Url(values.to);
  if (typeof location === "string") throw new EnvError(`--to ${location}.`);
  const env = readEnv();
  const from = resolve(values.from ?? join(env.MME_DATA_DIR, "assets"));
  if (!existsSync(from)) throw new EnvError(`There is no asset folder at ${from} (give it with --from).`);
  const target = await openS3AssetStore(s3Settings(env, location));
  const problem = (await target.checkRegion()) ?? (await target.checkBucket());
  if (problem) throw new EnvError(problem);

  const counts = { done: 0 };
  const report = await copyStore({
    from: new LocalAssetStore(from),
    to: target,
    verifyExisting: values["verify-existing"],
    onProgress: (progress: CopyProgress) => {
      counts.done++;
      if (progress.outcome === "corrupt" || progress.outcome === "failed") {
        process.stderr.write(`${progress.outcome}: ${progress.sha256}: ${progress.message}\n`);
      } else if (counts.done % 100 === 0) {
        process.stderr.write(`${counts.done} objects…\n`);
      }
    },
  });
  const problems = report.corrupt.length + report.failed.length;
  process.stdout.write(
    `${from} → ${target.location}: ${report.copied} copied (${megabytes(report.bytesCopied)}), ` +
      `${report.present} already there, ${report.replaced} replaced, ${report.corrupt.length} corrupt, ` +
      `${report.failed.length} failed.\n`,
  );
  if (problems > 0) {
    process.stdout.write(
      "Not every object was copied: run the command again to retry the failed ones; a corrupt file's bytes do not match its name and cannot be copied.\n",
    );
    return 1;
  }
  process.stdout.write(
    `Every object is in the bucket. Stop the engine, run this once more for what it wrote meanwhile, then start it with MME_STORAGE_URL=${values.to}.\n`,
  );
  return 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
