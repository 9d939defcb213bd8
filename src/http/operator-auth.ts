import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response, NextFunction, RequestHandler } from "express";
import { parse as parseCookie, serialize as serializeCookie } from "cookie";
import type { Operator, Store } from "../store/store.js";
import { verifyPassword } from "../handoff/passwords.js";
import { HttpError } from "./errors.js";

export const SESSION_COOKIE = "orienta_op";
const hash = (s: string) => createHash("sha256").update(s).digest("hex");

export interface AuthOptions {
  /** Idle time after which an operator must log in again. */
  sessionTtlMs: number;
}

declare module "express-serve-static-core" {
  interface Request {
    operator?: Operator;
  }
}

/** A dummy hash so that a login for an unknown user costs as much as one for a known user (no user enumeration). */
const DUMMY = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export function operatorAuth(store: Store, o: AuthOptions) {
  const sessionOf = (req: Request) => parseCookie(req.get("cookie") ?? "")[SESSION_COOKIE];

  const login = async (req: Request, res: Response, username: string, password: string) => {
    const op = await store.findOperator(username);
    const ok = await verifyPassword(password, op?.passwordHash ?? DUMMY);
    if (!op || !ok) throw new HttpError(401, "invalid_credentials", "wrong username or password");
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(24).toString("base64url");
    await store.createSession(hash(token), op.id, csrfToken, new Date(Date.now() + o.sessionTtlMs));
    await store.audit(op.id, null, "login");
    res.setHeader("Set-Cookie", serializeCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: "strict", secure: req.secure, path: "/", maxAge: Math.floor(o.sessionTtlMs / 1000),
    }));
    return { csrfToken, operator: { id: op.id, username: op.username, languages: op.languages, role: op.role } };
  };

  const logout = async (req: Request, res: Response) => {
    const token = sessionOf(req);
    if (token) await store.deleteSession(hash(token));
    res.setHeader("Set-Cookie", serializeCookie(SESSION_COOKIE, "", { httpOnly: true, sameSite: "strict", path: "/", maxAge: 0 }));
  };

  /** Resolves the operator from the cookie (for HTTP and WebSocket upgrades alike). */
  const authenticate = async (cookieHeader: string | undefined): Promise<{ operator: Operator; csrfToken: string; id: string } | undefined> => {
    const token = parseCookie(cookieHeader ?? "")[SESSION_COOKIE];
    if (!token) return undefined;
    const id = hash(token);
    const s = await store.getSession(id);
    if (!s) return undefined;
    await store.touchSession(id, new Date(Date.now() + o.sessionTtlMs));
    return { operator: s.operator, csrfToken: s.csrfToken, id };
  };

  const requireOperator: RequestHandler = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const s = await authenticate(req.get("cookie"));
      if (!s) throw new HttpError(401, "unauthorized", "log in first");
      if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
        const sent = Buffer.from(req.get("x-csrf-token") ?? "");
        const expected = Buffer.from(s.csrfToken);
        if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new HttpError(403, "csrf", "missing or wrong X-CSRF-Token");
      }
      req.operator = s.operator;
      next();
    } catch (e) {
      next(e);
    }
  };

  const requireAdmin: RequestHandler = (req, _res, next) => {
    next(req.operator?.role === "admin" ? undefined : new HttpError(403, "forbidden", "admins only"));
  };

  return { login, logout, authenticate, requireOperator, requireAdmin };
}
