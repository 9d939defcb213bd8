import type { Server, IncomingMessage } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { WebSocketServer, type WebSocket } from "ws";
import type { EventBus } from "../handoff/events.js";
import type { Store } from "../store/store.js";
import type { operatorAuth } from "./operator-auth.js";
import { publicMessage } from "./webchat-api.js";

/**
 * Live updates over WebSocket. /ws/webchat?session=ID&token=T: the person's new messages (operator replies, system
 * notices). /ws/operator (session cookie): queue changes and every conversation message. Clients that reconnect ask
 * for what they missed through the HTTP transcript (`?after=lastId`), so nothing is lost or duplicated.
 */
export function attachLive(server: Server, store: Store, bus: EventBus, auth: ReturnType<typeof operatorAuth>, widgetOrigins: string[] = []): () => void {
  /** Browsers always send Origin on WebSocket upgrades: only this server's pages and the allowed sites may connect. */
  const originAllowed = (req: IncomingMessage, forWidget: boolean) => {
    const origin = req.headers.origin;
    if (!origin) return true;
    try {
      if (new URL(origin).host === req.headers.host) return true;
    } catch {
      return false;
    }
    return forWidget && widgetOrigins.includes(origin);
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const people = new Map<string, Set<WebSocket>>();
  const operators = new Set<WebSocket>();

  const send = (ws: WebSocket, data: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(data));
  };

  const offMessage = bus.on("message", (e) => {
    for (const ws of people.get(e.conversationId) ?? []) if (e.message.sender !== "user") send(ws, { type: "message", message: publicMessage(e.message) });
    for (const ws of operators) send(ws, { type: "message", conversationId: e.conversationId, message: { ...publicMessage(e.message), ...(typeof e.message.payload.original === "string" ? { original: e.message.payload.original } : {}) } });
  });
  const offState = bus.on("state", (e) => {
    for (const ws of operators) send(ws, { type: "state", ...e });
    for (const ws of people.get(e.conversationId) ?? []) send(ws, { type: "state", state: e.state });
  });

  const reject = (socket: import("node:stream").Duplex, status: number) => {
    const reason = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" }[status] ?? "Error";
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  };

  const onUpgrade = async (req: IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (!originAllowed(req, url.pathname === "/ws/webchat")) return reject(socket, 403);
      if (url.pathname === "/ws/webchat") {
        const id = url.searchParams.get("session") ?? "";
        const token = url.searchParams.get("token") ?? "";
        const stored = /^[0-9a-f-]{36}$/.test(id) ? await store.getTokenHash(id) : undefined;
        const given = Buffer.from(createHash("sha256").update(token).digest("hex"));
        if (!stored || stored.length !== given.length || !timingSafeEqual(Buffer.from(stored), given)) return reject(socket, 401);
        wss.handleUpgrade(req, socket, head, (ws) => {
          const set = people.get(id) ?? new Set();
          set.add(ws);
          people.set(id, set);
          ws.on("close", () => {
            set.delete(ws);
            if (set.size === 0) people.delete(id);
          });
          ws.on("error", () => ws.terminate());
        });
      } else if (url.pathname === "/ws/operator") {
        const s = await auth.authenticate(req.headers.cookie);
        if (!s) return reject(socket, 401);
        wss.handleUpgrade(req, socket, head, (ws) => {
          operators.add(ws);
          ws.on("close", () => operators.delete(ws));
          ws.on("error", () => ws.terminate());
          send(ws, { type: "hello", operator: { id: s.operator.id, username: s.operator.username } });
        });
      } else reject(socket, 404);
    } catch {
      reject(socket, 401);
    }
  };
  server.on("upgrade", (req, socket, head) => void onUpgrade(req, socket, head));

  // Keep connections alive through proxies; drop dead ones.
  const ping = setInterval(() => {
    for (const ws of wss.clients) ws.ping();
  }, 25_000);
  ping.unref();

  return () => {
    clearInterval(ping);
    offMessage();
    offState();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}
