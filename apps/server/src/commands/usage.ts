// Every command's usage, in a module that loads nothing else of the engine: `--help` and `help` start at once.

export const ADMIN_USAGE = `  accounts create --name NAME [--plan free|starter|pro|enterprise] [--credits N]
                                  Open an account with its first API key; print the key.
  accounts show ACCOUNT_ID        Plan, balance, held credits, this month's use, limits.
  accounts plan ACCOUNT_ID PLAN   Move an account to a plan.
  credits add ACCOUNT_ID N --reason TEXT
                                  Add credits (or take them away with a negative N).
  keys create [--account ACCOUNT_ID] [--name NAME]
                                  A new key for an account (or a new free account); print it.
  keys revoke KEY_ID              Revoke a key: it answers 401 from now on.`;

export const ASSETS_USAGE = `  assets migrate --to s3://BUCKET[/PREFIX] [--from FOLDER] [--verify-existing]
                                  Copy the local asset store (the data folder's assets/) into a bucket. Run it
                                  again to resume: objects already there are skipped. Every copy is read back
                                  and checked against its SHA-256.`;

export const CLIENT_USAGE = `  generate image|video|audio "PROMPT" [flags] [--out FILE] [--wait] [--json]
                                  Submit a job to MME_API_URL as MME_API_KEY; print its id, or with --wait
                                  (implied by --out) wait with a progress line (status and percent, from the
                                  job's event stream), save the first asset to FILE and print where it went.
                                  Every field of a job is a flag (generate --help); --image FILE uploads a
                                  picture and starts from it.
  jobs list [--status S] [--type T] [--model M] [--batch BATCH_ID] [--limit N] [--json]
                                  Your newest jobs, a line each.
  jobs get JOB_ID                 One job, as JSON.
  jobs cancel JOB_ID              Cancel a queued or running job (its held credits are released).`;

const SERVE_USAGE = `  (none), mcp                     Serve MCP on stdin/stdout, with the whole engine in this process.
  start [--role all|api|worker]   Run the engine (HTTP API and worker by default).`;

export const USAGE = `Usage: mcp-media-engine [command]

Commands:
${SERVE_USAGE}
${ADMIN_USAGE}
${ASSETS_USAGE}
${CLIENT_USAGE}

Run mcp-media-engine COMMAND --help for one command. Settings come from the environment; see the README.`;

/** The usage lines of one command: those of USAGE's entries that start with it. */
function linesOf(block: string, command: string): string {
  const entries = block.split(/\n(?= {2}\S)/);
  return entries.filter((e) => e.trimStart().startsWith(`${command} `) || e.trim() === command).join("\n");
}

/**
 * The help asked for, or undefined when none is: `help`, `--help`, `-h` alone or after a command (`jobs --help`,
 * `keys create -h`, `help generate`).
 */
export async function helpFor(argv: string[]): Promise<string | undefined> {
  const asked = argv[0] === "help" || argv.includes("--help") || argv.includes("-h");
  if (!asked) return undefined;
  const command = argv[0] === "help" ? argv[1] : argv[0]?.startsWith("-") ? undefined : argv[0];
  if (command === undefined) return `${USAGE}\n`;
  // Read from the contract, which only generate's help needs to load.
  if (command === "generate") return (await import("./generate-flags")).generateUsage();
  if (command === "mcp") return `Usage: mcp-media-engine [mcp]\n\n${linesOf(SERVE_USAGE, "(none),")}\n`;
  const lines = linesOf([SERVE_USAGE, ADMIN_USAGE, ASSETS_USAGE, CLIENT_USAGE].join("\n"), command);
  if (!lines) return `Unknown command "${command}".\n\n${USAGE}\n`;
  return `Usage: mcp-media-engine ${command} …\n\n${lines}\n`;
}
