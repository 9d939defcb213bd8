import { describe, it, expect, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyIndexCache, realEngine } from "../helpers.js";
import { freePort } from "../../src/cli/free-port.js";

/**
 * Kill -9 in the middle of a conversation, restart, carry on: every message the person sent is in the transcript
 * exactly once, in order, each with the bot's reply. The client resends a message whose reply it never got, with the
 * same clientMessageId, as the web chat does.
 */
const dataDir = mkdtempSync(join(tmpdir(), "orienta-crash-"));
let child: ChildProcess | undefined;


async function start(port: number): Promise<void> {
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not start");
}

afterAll(() => {
  child?.kill("SIGKILL");
});

describe("crash and restart", () => {
  it("loses and duplicates nothing when the server is killed mid-conversation", async () => {
    await realEngine(); // builds the shared index cache once
    copyIndexCache(dataDir);
    const port = await freePort();
    await start(port);
    const base = `http://127.0.0.1:${port}/api/webchat/sessions`;
    const s = (await (await fetch(base, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { sessionId: string; token: string };
    const texts = ["ciao", "cerco un corso di italiano", "dove posso mangiare gratis?", "ho bisogno di una doccia", "aiuto per l'affitto",
      "cerco lavoro", "mia mamma è anziana", "dove dormire stasera?", "grazie", "quali sono gli orari?"];
    const send = (i: number) => fetch(`${base}/${s.sessionId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ text: texts[i], clientMessageId: `msg-${i}-0123456789` }),
    });
    let killedAt = -1;
    for (let i = 0; i < texts.length; i++) {
      if (i === 4) {
        // Kill the server while this message is being handled; the client never sees the reply.
        const pending = send(i).then((r) => r.status, () => "lost");
        await new Promise((r) => setTimeout(r, 30));
        child!.kill("SIGKILL");
        await pending;
        killedAt = i;
        await start(port);
      }
      let r = await send(i);
      if (!r.ok) r = await send(i);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { messages: unknown[] };
      expect(body.messages.length).toBeGreaterThan(0);
    }
    expect(killedAt).toBe(4);
    const t = (await (await fetch(`${base}/${s.sessionId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: { from: string; text: string }[] };
    const users = t.messages.filter((m) => m.from === "user").map((m) => m.text);
    expect(users).toEqual(texts);
    for (let i = 0; i < t.messages.length; i++)
      if (t.messages[i]!.from === "user") expect(t.messages[i + 1]?.from, `reply after "${t.messages[i]!.text}"`).not.toBe("user");
  }, 240_000);
});
