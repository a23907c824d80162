import { createAdaptorServer } from "@hono/node-server";
import { AppError, newId } from "@mcpmediaengine/contract";
import { StartupError } from "@mcpmediaengine/db";
import { errorResponse } from "../http/error-response";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

export interface EarlyListener {
  server: ReturnType<typeof createAdaptorServer>;
  port: number;
  /** From now on requests go to the app; until then they are answered 503 "starting". */
  serve(fetch: Fetch): void;
  close(): Promise<void>;
}

/**
 * Takes the HTTP port before anything else is set up, so a port in use is reported before Postgres is started (and
 * not after a minute of work); requests that arrive while the engine starts get 503 with Retry-After.
 */
export function listenEarly(port: number, hostname: string, setting = "PORT"): Promise<EarlyListener> {
  let handler: Fetch = () =>
    errorResponse(
      new AppError("service_unavailable", "The engine is starting; try again in a moment.", {
        retryAfterSeconds: 1,
      }),
      newId("request"),
    );
  const server = createAdaptorServer({ fetch: (request, env) => handler(request, env), port, hostname });
  return new Promise((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`Port ${port} on ${hostname} is already in use. Set ${setting} to a free port.`)
          : new StartupError(`Cannot listen on ${hostname}:${port}: ${error.message}`),
      );
    });
    server.listen(port, hostname, () => {
      const address = server.address();
      resolveListen({
        server,
        port: typeof address === "object" && address ? address.port : port,
        serve(fetch) {
          handler = fetch;
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
