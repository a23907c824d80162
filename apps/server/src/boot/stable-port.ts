import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";

/** Where MCP on stdio keeps its loopback port, so asset URLs it handed out still open after the host restarts it. */
export function stablePortFile(dataDir: string): string {
  return join(dataDir, "stdio-port");
}

function listenOnce(port: number, host: string): Promise<number | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : undefined));
    });
  });
}

/**
 * The port this data folder's stdio engine used last time, if it is free; else a free one, kept for next time.
 * (Another program may take a kept port meanwhile: then the older URLs cannot be served, and a new port is kept.)
 */
export async function stablePort(dataDir: string, host: string): Promise<number> {
  const file = stablePortFile(dataDir);
  const kept = Number((await readFile(file, "utf8").catch(() => "")).trim());
  if (Number.isInteger(kept) && kept > 0 && (await listenOnce(kept, host)) === kept) return kept;
  const port = await listenOnce(0, host);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${port}\n`);
  return port;
}
