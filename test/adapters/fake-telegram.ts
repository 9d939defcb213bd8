import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";

export const FAKE_BOT_INFO: UserFromGetMe = {
  id: 424242,
  is_bot: true,
  first_name: "Orienta",
  username: "orienta_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface Call {
  method: string;
  body: Record<string, unknown>;
  /** The answer the fake gave: ok, or the error code. */
  ok: boolean;
  errorCode?: number;
}

interface Failure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

type RawUpdate = Omit<Update, "update_id"> & { update_id?: number };

/**
 * A local Telegram Bot API: POST /bot<token>/<method> with JSON, answering {ok, result}. getUpdates long-polls
 * (at most 1 s); failures can be queued per method (429 with retry_after, 5xx).
 */
export class FakeTelegram {
  readonly calls: Call[] = [];
  private queue: Update[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private pollers: (() => void)[] = [];
  private callWaiters: (() => void)[] = [];
  private failures = new Map<string, Failure[]>();

  private constructor(private readonly server: Server, readonly apiRoot: string) {}

  static async start(): Promise<FakeTelegram> {
    const web = express();
    web.use(express.json({ limit: "5mb" }));
    let fake: FakeTelegram | undefined;
    web.all(/^\/bot([^/]+)\/([A-Za-z]+)$/, (req, res) => {
      void fake!.answer(String(req.params[1]), (req.body ?? {}) as Record<string, unknown>, req, res);
    });
    const server = await new Promise<Server>((resolve) => {
      const s = web.listen(0, "127.0.0.1", () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeTelegram(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** The next `times` calls of `method` fail with this error (e.g. 429 with retry_after). */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** Queues an update for getUpdates; an update with an update_id already used is sent again as is. */
  pushUpdate(u: RawUpdate): Update {
    const update = { ...u, update_id: u.update_id ?? this.nextUpdateId++ } as Update;
    this.queue.push(update);
    for (const p of this.pollers.splice(0)) p();
    return update;
  }

  private record(call: Call) {
    this.calls.push(call);
    for (const w of this.callWaiters.splice(0)) w();
  }

  private async answer(method: string, body: Record<string, unknown>, req: express.Request, res: express.Response) {
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      this.record({ method, body, ok: false, errorCode: failure.error_code });
      res.status(failure.error_code).json({ ok: false, ...failure });
      return;
    }
    if (method === "getUpdates") {
      const timeout = Math.min(Number(body.timeout ?? 0), 1);
      if (!this.queue.length && timeout > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, timeout * 1000);
          const done = () => {
            clearTimeout(t);
            resolve();
          };
          this.pollers.push(done);
          req.on("close", done);
        });
      }
      const updates = this.queue.splice(0);
      this.calls.push({ method, body, ok: true });
      if (!res.headersSent && !res.destroyed) res.json({ ok: true, result: updates });
      else this.queue.unshift(...updates);
      return;
    }
    let result: unknown = true;
    if (method === "getMe") result = FAKE_BOT_INFO;
    if (method === "sendMessage")
      result = { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id, type: "private" }, text: body.text };
    if (method === "editMessageText")
      result = { message_id: body.message_id, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id, type: "private" }, text: body.text };
    this.record({ method, body, ok: true });
    res.json({ ok: true, result });
  }

  /** Successful calls of a method (optionally to one chat). */
  sent(method: string, chatId?: number): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method && c.ok && (chatId === undefined || Number(c.body.chat_id) === chatId)).map((c) => c.body);
  }

  /** Waits until `predicate` holds over the recorded calls. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(",")}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.callWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const p of this.pollers.splice(0)) p();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let nextMessage = 1;
const person = (chatId: number, languageCode = "it") => ({ id: chatId, is_bot: false, first_name: "P", language_code: languageCode });

export function textUpdate(chatId: number, text: string, languageCode = "it"): RawUpdate {
  const entities = text.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
  return {
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "P" },
      from: person(chatId, languageCode),
      text,
      ...(entities ? { entities } : {}),
    },
  } as RawUpdate;
}

export function locationUpdate(chatId: number, lat: number, lon: number): RawUpdate {
  return {
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "P" },
      from: person(chatId),
      location: { latitude: lat, longitude: lon },
    },
  } as RawUpdate;
}

export function photoUpdate(chatId: number): RawUpdate {
  return {
    message: {
      message_id: nextMessage++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "P" },
      from: person(chatId),
      photo: [{ file_id: "AgAC1", file_unique_id: "u1", width: 90, height: 90, file_size: 1000 }],
    },
  } as RawUpdate;
}

export function callbackUpdate(chatId: number, data: string, messageId = 1): RawUpdate {
  return {
    callback_query: {
      id: `cq-${nextMessage++}`,
      from: person(chatId),
      chat_instance: "ci",
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "P" }, text: "…" },
    },
  } as RawUpdate;
}
