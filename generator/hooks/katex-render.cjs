// Render TeX to HTML with KaTeX's own renderer, for generator/hooks/typeset.py.
// Usage: node katex-render.cjs PATH/TO/katex.js < [{"tex": "...", "display": true}, ...]
// Writes a JSON array of HTML strings, in order. A formula KaTeX cannot parse is an
// error (exit 1, its message on stderr), never red text on the page.
"use strict";
const katex = require(process.argv[2]);

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const formulas = JSON.parse(input);
  const html = [];
  for (const { tex, display } of formulas) {
    try {
      html.push(katex.renderToString(tex, { displayMode: display, throwOnError: true }));
    } catch (error) {
      process.stderr.write(`${tex}: ${error.message}\n`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(html));
});
