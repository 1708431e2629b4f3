// Material wraps every Markdown table in .md-typeset__scrollwrap at run time;
// on a phone a wide table scrolls sideways there, and a scrolling region must
// be reachable and named for keyboard users (axe scrollable-region-focusable).
// Each region gets its own number, since landmarks need distinct names.
const TABLE_REGION_NAMES = {
  ja: (n) => `表 ${n}（横にスクロールできます）`,
  en: (n) => `Table ${n} (scrolls sideways)`,
};

document$.subscribe(({ body }) => {
  const name = TABLE_REGION_NAMES[document.documentElement.lang.startsWith("ja") ? "ja" : "en"];
  body.querySelectorAll(".md-typeset__scrollwrap").forEach((wrapper, index) => {
    wrapper.setAttribute("tabindex", "0");
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", name(index + 1));
  });
});
