import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { openStore } from "../store/store.js";
import { hashPassword } from "../handoff/passwords.js";
import { LANGUAGES } from "../language/languages.js";
import { projectRoot } from "./paths.js";
import { serverLockPath } from "../store/server-lock.js";

/**
 * operators add NAME --languages it,en,ar --role operator|admin --password-stdin [--slack-user U123]
 * operators list
 * With the embedded database only one process may open it: while the server runs, this refuses (use PostgreSQL
 * through DATABASE_URL to manage operators on a running server).
 */
const Add = z.object({
  name: z.string().regex(/^[a-zA-Z0-9._-]{2,50}$/, "names have 2-50 letters, digits, dot, dash or underscore"),
  languages: z.array(z.enum(LANGUAGES)).min(1, "give at least one language with --languages"),
  role: z.enum(["operator", "admin"]),
  slackUser: z.string().regex(/^[UW][A-Z0-9]+$/).optional(),
});

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

function runningServerPid(dataDir: string): number | undefined {
  const path = serverLockPath(dataDir);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, "utf8").trim());
  if (!pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent" }, projectRoot());
  if (!config.databaseUrl) {
    const pid = runningServerPid(config.dataDir);
    if (pid) {
      process.stderr.write(`the server is running (pid ${pid}) on the embedded database in ${config.dataDir}; stop it first, or set DATABASE_URL (PostgreSQL) to manage operators while it runs\n`);
      process.exit(3);
    }
  }
  if (command === "add") {
    const input = Add.safeParse({
      name: args[0],
      languages: (flag(args, "--languages") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      role: flag(args, "--role") ?? "operator",
      slackUser: flag(args, "--slack-user"),
    });
    if (!input.success) {
      process.stderr.write(input.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n") + "\n");
      process.exit(2);
    }
    if (!args.includes("--password-stdin")) {
      process.stderr.write("give the password on standard input with --password-stdin (never on the command line)\n");
      process.exit(2);
    }
    const password = await readStdin();
    if (password.length < 12) {
      process.stderr.write("the password must have at least 12 characters\n");
      process.exit(2);
    }
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, "db") });
    try {
      if (await store.findOperator(input.data.name)) {
        process.stderr.write(`operator "${input.data.name}" already exists\n`);
        process.exit(4);
      }
      const op = await store.createOperator({ username: input.data.name, passwordHash: await hashPassword(password), languages: input.data.languages, role: input.data.role, slackUserId: input.data.slackUser });
      process.stdout.write(`added ${op.role} ${op.username} (${op.languages.join(",")})\n`);
    } finally {
      await store.close();
    }
  } else if (command === "list") {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, "db") });
    for (const o of await store.listOperators()) process.stdout.write(`${o.username}\t${o.role}\t${o.languages.join(",")}\n`);
    await store.close();
  } else {
    process.stderr.write("usage: operators add NAME --languages it,en --role operator|admin --password-stdin | operators list\n");
    process.exit(2);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
