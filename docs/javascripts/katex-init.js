// Typeset the formulas pymdownx.arithmatex leaves as \( \) and \[ \] in
// .arithmatex elements, with the KaTeX served from this site (no CDN).
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  });
});
