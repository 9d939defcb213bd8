import { LOCKS, type Store } from "../store/store.js";

/** Deletes conversations older than the retention period. Runs inside the server, at start and then periodically. */
export function startRetention(store: Store, retentionDays: number, onError: (e: unknown) => void, everyMs = 60 * 60_000): () => void {
  const run = () => store.exclusive(LOCKS.retention, () => store.deleteOlderThan(new Date(Date.now() - retentionDays * 86_400_000))).catch(onError);
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
