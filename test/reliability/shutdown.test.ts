import { describe, it, expect, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyIndexCache, realEngine } from "../helpers.js";
import { freePort } from "../../src/cli/free-port.js";

/** SIGTERM: the server stops accepting, finishes what it is doing, closes the database and exits 0. */
let child: ChildProcess | undefined;
afterAll(() => child?.kill("SIGKILL"));


describe("graceful shutdown", () => {
  it("finishes an in-flight message, then exits cleanly on SIGTERM", async () => {
    await realEngine();
    const dataDir = mkdtempSync(join(tmpdir(), "orienta-shutdown-"));
    copyIndexCache(dataDir);
    const port = await freePort();
    let output = "";
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d) => (output += String(d)));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 240 && !output.includes("listening"); i++) await new Promise((r) => setTimeout(r, 250));
    const s = (await (await fetch(`${base}/api/webchat/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { sessionId: string; token: string };
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    const inFlight = fetch(`${base}/api/webchat/sessions/${s.sessionId}/messages`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` }, body: JSON.stringify({ text: "cerco un corso di italiano" }),
    });
    // Long enough for the request to reach the server, short enough to fall inside the turn most of the time.
    await new Promise((r) => setTimeout(r, 30));
    child.kill("SIGTERM");
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(((await r.json()) as { messages: unknown[] }).messages.length).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    expect(output).toContain("shutting down");
    expect(output).toContain("stopped");
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 120_000);
});
