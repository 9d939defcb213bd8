import autocannon from "autocannon";

/**
 * The load generator of `npm run bench`, in its own process so that it does not share the server's event loop.
 * It receives one job over IPC, runs autocannon against 127.0.0.1, sends back the figures and exits.
 */
export interface LoadJob {
  /** http://127.0.0.1:PORT: the bench only ever targets this machine. */
  url: string;
  /** Path template: `:id` is replaced with the session id. */
  path: string;
  sessions: { sessionId: string; token: string }[];
  texts: string[];
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Successful answers per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const host = new URL(job.url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") throw new Error(`refusing to load ${host}: loopback only`);
  let n = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    // No pipelining: one person's browser sends one message at a time.
    pipelining: 1,
    timeout: 20,
    requests: [
      {
        method: "POST",
        // Sessions round-robin, so the requests in flight belong to different conversations.
        setupRequest: (req) => {
          const i = n++;
          const s = job.sessions[i % job.sessions.length]!;
          return {
            ...req,
            method: "POST",
            path: job.path.replace(":id", s.sessionId),
            headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
            body: JSON.stringify({ text: job.texts[i % job.texts.length] }),
          };
        },
      },
    ],
  });
  const ok = result["2xx"];
  return {
    seconds: result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

process.once("message", (job: LoadJob) => {
  run(job).then(
    (r) => process.send!({ ok: true, result: r }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)),
  );
});
