/*
 * One slider for the whole network: a training-step control that moves every
 * [data-scrub] figure on the page to the same snapshot.
 *
 * Markup (the GIF stays as the no-JavaScript fallback):
 *
 *   <div class="scrubber" data-scrub-manifest="assets/generated/scrub.json"
 *        data-text-label="Training step"></div>
 *   <figure data-scrub="conv1_fmap"><img src="...gif" alt="..."></figure>
 *
 * The manifest (URL relative to the page; sprite URLs relative to the manifest):
 *
 *   { "steps": [0, 1, ...],          snapshot steps, one per frame (required)
 *     "epochs": [...], "loss": [...],  optional, one per frame
 *     "prediction": [...], "label": 4, optional: the probe's predicted and true class
 *     "sheets": { "conv1_fmap": { "src": "conv1_fmap.sprite.png",
 *                 "frame_width": 264, "frame_height": 132, "columns": 10 } } }
 *
 * Frame k of a sheet sits at column k % columns, row floor(k / columns).
 * Nothing plays by itself unless the container has data-autoplay and the
 * reader has not asked for reduced motion. Everything loads from this origin.
 */
(function () {
  "use strict";

  var FRAME_MS = 150;
  var controlCount = 0;
  var TEXT = {
    label: "Training step",
    play: "Play",
    pause: "Pause",
    back: "Step back",
    forward: "Step forward",
    status: "step {step} · epoch {epoch} · test loss {loss} · probe: predicted {prediction}, true {label}",
  };

  function text(container, name) {
    return container.getAttribute("data-text-" + name) || TEXT[name];
  }

  function format(template, values) {
    // Drop the " · part" of a template whose value the manifest does not have.
    return template
      .split(" · ")
      .filter(function (part) {
        return (part.match(/\{(\w+)\}/g) || []).every(function (name) {
          return values[name.slice(1, -1)] !== undefined;
        });
      })
      .join(" · ")
      .replace(/\{(\w+)\}/g, function (_, name) {
        return values[name];
      });
  }

  function frameValues(manifest, k) {
    var at = function (key, digits) {
      var list = manifest[key];
      if (!list || list[k] === undefined || list[k] === null) return undefined;
      return digits === undefined ? String(list[k]) : Number(list[k]).toFixed(digits);
    };
    return {
      step: at("steps"),
      epoch: at("epochs", 2),
      loss: at("loss", 3),
      prediction: at("prediction"),
      label: manifest.label === undefined ? undefined : String(manifest.label),
    };
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (content) node.textContent = content;
    return node;
  }

  // A canvas that shows one frame of a sprite sheet; it replaces the figure's GIF once loaded.
  function sheetView(figure, sheet, baseUrl) {
    var canvas = element("canvas", {
      class: "scrub-frame",
      role: "img",
      width: sheet.frame_width,
      height: sheet.frame_height,
    });
    var context = canvas.getContext("2d");
    var image = new Image();
    var gif = figure.querySelector("img");
    var ready = false;
    var wanted = 0;
    canvas.setAttribute("aria-label", gif ? gif.alt : figure.getAttribute("data-scrub"));
    canvas.style.maxWidth = sheet.frame_width + "px";
    function draw(k) {
      wanted = k;
      if (!ready) return;
      var x = (k % sheet.columns) * sheet.frame_width;
      var y = Math.floor(k / sheet.columns) * sheet.frame_height;
      context.clearRect(0, 0, sheet.frame_width, sheet.frame_height);
      context.drawImage(image, x, y, sheet.frame_width, sheet.frame_height,
        0, 0, sheet.frame_width, sheet.frame_height);
    }
    image.onload = function () {
      ready = true;
      draw(wanted);
      if (gif) {
        gif.hidden = true;
        gif.parentNode.insertBefore(canvas, gif);
      } else {
        figure.insertBefore(canvas, figure.firstChild);
      }
      figure.classList.add("scrub-ready");
    };
    // On error the GIF simply stays: the page still works without the sheets.
    image.src = new URL(sheet.src, baseUrl).href;
    return { draw: draw, canvas: canvas };
  }

  function controls(container, count) {
    controlCount += 1;
    var id = "scrub-step-" + controlCount;
    var bar = element("div", { class: "scrub-controls" });
    var back = element("button", { type: "button", class: "scrub-back", "aria-label": text(container, "back") }, "◀");
    var play = element("button", { type: "button", class: "scrub-play", "aria-pressed": "false" }, text(container, "play"));
    var forward = element("button", { type: "button", class: "scrub-forward", "aria-label": text(container, "forward") }, "▶");
    var label = element("label", { for: id }, text(container, "label"));
    var range = element("input", { type: "range", id: id, min: "0", max: String(count - 1), step: "1" });
    var status = element("output", { for: id, class: "scrub-status", "aria-live": "polite" });
    [label, range, back, play, forward, status].forEach(function (node) {
      bar.appendChild(node);
    });
    container.appendChild(bar);
    return { back: back, play: play, forward: forward, range: range, status: status };
  }

  function setUp(container) {
    if (container.hasAttribute("data-scrub-ready")) return;
    container.setAttribute("data-scrub-ready", "");
    var manifestUrl = new URL(container.getAttribute("data-scrub-manifest"), document.baseURI);
    fetch(manifestUrl.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("manifest " + response.status);
        return response.json();
      })
      .then(function (manifest) {
        start(container, manifest, manifestUrl.href);
      })
      .catch(function () {
        // No manifest, no slider: the GIFs keep playing as they would without JavaScript.
        container.hidden = true;
      });
  }

  function start(container, manifest, baseUrl) {
    var count = manifest.steps.length;
    var views = [];
    document.querySelectorAll("[data-scrub]:not([data-scrub-bound])").forEach(function (figure) {
      var sheet = manifest.sheets[figure.getAttribute("data-scrub")];
      if (!sheet) return;
      figure.setAttribute("data-scrub-bound", ""); // one control drives each figure
      views.push(sheetView(figure, sheet, baseUrl));
    });
    var ui = controls(container, count);
    var timer = null;
    var current = count - 1; // the final frame, like the GIFs' posters

    function show(k) {
      current = Math.max(0, Math.min(count - 1, k));
      var values = frameValues(manifest, current);
      ui.range.value = String(current);
      ui.range.setAttribute("aria-valuetext", format(text(container, "status"), { step: values.step }));
      ui.status.textContent = format(text(container, "status"), values);
      views.forEach(function (view) {
        view.draw(current);
      });
    }

    function pause() {
      if (timer === null) return;
      clearInterval(timer);
      timer = null;
      ui.play.textContent = text(container, "play");
      ui.play.setAttribute("aria-pressed", "false");
      ui.status.setAttribute("aria-live", "polite");
    }

    function play() {
      if (current >= count - 1) show(0);
      ui.play.textContent = text(container, "pause");
      ui.play.setAttribute("aria-pressed", "true");
      ui.status.setAttribute("aria-live", "off"); // a live region read on every frame is noise
      timer = setInterval(function () {
        if (!container.isConnected || current >= count - 1) {
          pause();
          return;
        }
        show(current + 1);
      }, FRAME_MS);
    }

    ui.range.addEventListener("input", function () {
      pause();
      show(Number(ui.range.value));
    });
    ui.back.addEventListener("click", function () {
      pause();
      show(current - 1);
    });
    ui.forward.addEventListener("click", function () {
      pause();
      show(current + 1);
    });
    ui.play.addEventListener("click", function () {
      if (timer === null) play();
      else pause();
    });
    show(current);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (container.hasAttribute("data-autoplay") && !reduced) play();
  }

  function init() {
    document.querySelectorAll("[data-scrub-manifest]").forEach(setUp);
  }

  // MkDocs Material's instant navigation swaps pages without a load event; document$ tells.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
