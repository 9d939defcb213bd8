import type { ErrorRequestHandler } from "express";
import type { z } from "zod";
import type { Logger } from "pino";

/** An error with an HTTP status and a machine-readable code; the message is safe to show. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }

  static fromZod(error: z.ZodError): HttpError {
    const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return new HttpError(400, "invalid_request", details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; "), details);
  }
}

/** Every error becomes a JSON answer; nothing from the request (which may hold personal data) is logged. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    let status = 500, code = "internal_error", message = "something went wrong; please try again";
    let details: unknown;
    if (err instanceof HttpError) ({ status, code, message, details } = err);
    else if (e.type === "entity.too.large") [status, code, message] = [413, "too_large", "the request body is too large"];
    else if (e.type === "entity.parse.failed") [status, code, message] = [400, "invalid_json", "the request body is not valid JSON"];
    else if (e.type === "charset.unsupported" || e.type === "encoding.unsupported") [status, code, message] = [415, "unsupported_encoding", "unsupported body encoding"];
    else if ((e.status ?? e.statusCode ?? 500) < 500) [status, code, message] = [e.status ?? e.statusCode ?? 400, "bad_request", "bad request"];
    if (status >= 500) log.error({ err: { name: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack }, path: req.path }, "request failed");
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
  };
}
