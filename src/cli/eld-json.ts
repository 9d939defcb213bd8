/** Part of `npm run build`: writes eld's n-gram table as JSON next to the compiled code (see src/language/eld.ts). */
import { eldJsonPath, writeEldJson } from "../language/eld.js";

if (await writeEldJson()) process.stdout.write(`wrote ${eldJsonPath()}\n`);
