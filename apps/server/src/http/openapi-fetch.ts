import { type AnyTRPCRouter, TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler, type OpenApiRouter } from "trpc-to-openapi";

type ResponseMeta = Parameters<typeof createOpenApiNodeHttpHandler>[0]["responseMeta"];

/**
 * trpc-to-openapi's fetch adapter, with its node handler built once. The library's `createOpenApiFetchHandler`
 * builds a handler per request, and outside NODE_ENV=production each build generates the whole OpenAPI document
 * to validate the router: seven in ten CPU cycles of a submit went there (see `pnpm bench`). Here the router is
 * validated once, at start, and each request only pays for itself.
 */
export function createOpenApiFetchBridge<Context extends object>(options: {
  router: AnyTRPCRouter;
  /** Path prefix the REST routes are mounted under, such as "/v1". */
  endpoint: string;
  responseMeta: ResponseMeta;
}): (request: Request, context: Context) => Promise<Response> {
  const contexts = new WeakMap<object, Context>();
  const handler = createOpenApiNodeHttpHandler({
    router: options.router as OpenApiRouter,
    // The library passes the request object it was given (our proxy) to createContext.
    createContext: ({ req }: { req: object }) => contexts.get(req) as never,
    responseMeta: options.responseMeta,
  } as never);

  return async (request, context) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith(options.endpoint))
      url.pathname = url.pathname.slice(options.endpoint.length) || "/";
    const body = await readBody(request);
    const proxied = new Proxy(request, {
      get(target, property) {
        if (property === "url") return url.toString();
        if (property === "body") {
          if (!body.ok) throw new TRPCError({ code: "PARSE_ERROR", message: "Failed to parse request body" });
          return body.data;
        }
        return Reflect.get(target, property, target);
      },
    });
    contexts.set(proxied, context);
    return new Promise<Response>((resolve, reject) => {
      const headers = new Headers();
      let status = 200;
      const response = {
        setHeader(name: string, value: string | string[]) {
          if (typeof value === "string") headers.set(name, value);
          else for (const v of value) headers.append(name, v);
        },
        get statusCode() {
          return status;
        },
        set statusCode(code: number) {
          status = code;
        },
        end(text?: string) {
          resolve(new Response(text, { status, headers }));
        },
      };
      (handler as (req: unknown, res: unknown) => Promise<void>)(proxied, response).catch(reject);
    });
  };
}

async function readBody(request: Request): Promise<{ ok: true; data: unknown } | { ok: false }> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) return { ok: true, data: request.body };
  try {
    // JSON.parse of the text, not request.json(): the error must surface as a parse error, not a rejection here.
    return { ok: true, data: JSON.parse(await request.text()) };
  } catch {
    return { ok: false };
  }
}
