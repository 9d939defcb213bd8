import { pino, type Logger, type DestinationStream, type LoggerOptions } from "pino";
import { redactText } from "./privacy/redact.js";

/** JSON logs. Free text is redacted (phones, e-mails, tax codes, IBANs, document numbers) before it is written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: ["req.headers.authorization", "token", "*.token", "password", "*.password"], censor: "[redacted]" },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((a) => (typeof a === "string" ? redactText(a) : a)) as typeof args;
        method.apply(this, redacted);
      },
    },
  };
  return (destination ? pino(options, destination) : pino(options)) as Logger;
}
