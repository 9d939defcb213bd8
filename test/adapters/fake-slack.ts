import express from "express";
import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  authorization?: string;
  /** The ts the fake gave the message (chat.postMessage). */
  ts: string;
}

/** A local Slack Web API: POST /api/<method>, form-urlencoded or JSON, answering {ok:true,…}; records every call. */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private nextTs = 1;
  private constructor(private readonly server: Server, readonly apiUrl: string) {}

  static async start(): Promise<FakeSlack> {
    const web = express();
    web.use(express.urlencoded({ extended: false }), express.json());
    let fake: FakeSlack | undefined;
    web.post("/api/:method", (req, res) => {
      const method = String(req.params.method);
      const body: Record<string, unknown> = { ...(req.body as Record<string, unknown>) };
      // WebClient sends objects (blocks, metadata) JSON-encoded inside the form.
      for (const k of ["blocks", "attachments", "metadata"]) if (typeof body[k] === "string") body[k] = JSON.parse(body[k] as string);
      const ts = `1700000000.${String(fake!.nextTs++).padStart(6, "0")}`;
      fake!.calls.push({ method, body, authorization: req.get("authorization"), ts });
      if (method === "auth.test") return void res.json({ ok: true, user_id: "U_BOT", bot_id: "B_BOT", team_id: "T1" });
      if (method === "chat.postMessage") return void res.json({ ok: true, channel: body.channel, ts, message: { text: body.text, ts } });
      if (method === "chat.update") return void res.json({ ok: true, channel: body.channel, ts: body.ts });
      if (method === "chat.postEphemeral") return void res.json({ ok: true, message_ts: ts });
      res.json({ ok: true });
    });
    const server = await new Promise<Server>((resolve) => {
      const s = web.listen(0, "127.0.0.1", () => resolve(s));
    });
    fake = new FakeSlack(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
    return fake;
  }

  of(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.body);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(",")}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Slack's request signature: v0=HMAC-SHA256(secret, `v0:${ts}:${body}`). */
export function slackHeaders(secret: string, body: string, contentType: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return { "content-type": contentType, "x-slack-request-timestamp": String(ts), "x-slack-signature": sig };
}
