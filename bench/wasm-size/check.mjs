// Runs a WebAssembly (WASI preview 1) module of bench/wasm-size under Node's WASI, so the runner
// measures only modules that work:
//   node check.mjs command MODULE       runs the command; its output is the module's
//   node check.mjs library MODULE TEXT  prints word_count(TEXT), the text passed through alloc
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";

const [kind, file, text] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [file], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
if (kind === "command") {
  process.exitCode = wasi.start(instance);
} else {
  if (instance.exports._initialize) {
    wasi.initialize(instance);
  }
  const bytes = new TextEncoder().encode(text);
  const pointer = instance.exports.alloc(bytes.length);
  new Uint8Array(instance.exports.memory.buffer, Number(pointer), bytes.length).set(bytes);
  console.log(instance.exports.word_count(pointer, bytes.length));
}
