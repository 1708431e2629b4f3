// One training-step slider for every animation on the page.
//
// Each animation's GIF sits in <noscript>; here it is replaced by its sprite
// sheet (all frames tiled, COLUMNS per row, see generator/figures/sprites.py)
// inside a clipped box, and the slider shows frame k in every box at once:
// the sheet is shifted by k's column and row. timeline.json gives the step,
// epoch, probe loss and prediction of each snapshot, the GIF's frame timing,
// and each sheet's frame size. If the timeline cannot be read, the GIFs come back.

let stopSlider = () => {};

document$.subscribe(({ body }) => {
  stopSlider();
  const control = body.querySelector(".tc-slider");
  const boxes = Array.from(body.querySelectorAll(".tc-frames[data-sprite]"));
  if (!control || boxes.length === 0) return;
  fetch(control.dataset.timeline)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
      return response.json();
    })
    .then((timeline) => {
      stopSlider = startSlider(control, boxes, timeline);
    })
    .catch((error) => {
      console.warn("training-step slider unavailable, showing the GIFs:", error);
      boxes.forEach(restoreGif);
    });
});

// The box becomes a window onto one frame of the sheet, scaled to the column width. A frame
// has `density` pixels per CSS px (like the GIF, shown at its CSS size): sharp on 2x screens.
function showSheet(box, timeline) {
  const frame = timeline.sheets[box.dataset.stem];
  const columns = timeline.columns;
  const rows = Math.ceil(timeline.snapshots.length / columns);
  const css = (pixels) => pixels / timeline.density;
  const image = document.createElement("img");
  image.loading = "lazy"; // before src, or the sheet would load at once
  image.decoding = "async";
  image.alt = box.dataset.alt;
  image.src = box.dataset.sprite;
  image.width = css(frame.width * columns);
  image.height = css(frame.height * rows);
  image.style.width = `${columns * 100}%`;
  box.style.maxWidth = `${css(frame.width)}px`;
  box.style.aspectRatio = `${frame.width} / ${frame.height}`;
  box.append(image);
  box.hidden = false;
  return (k) => {
    const column = k % columns;
    const row = Math.floor(k / columns);
    // Percentages of the sheet's own size: one column is 1/columns of its width.
    image.style.transform = `translate(${(-100 * column) / columns}%, ${(-100 * row) / rows}%)`;
    box.dataset.frame = String(k);
  };
}

function restoreGif(box) {
  const fallback = box.nextElementSibling;
  if (fallback && fallback.tagName === "NOSCRIPT") {
    fallback.insertAdjacentHTML("afterend", fallback.textContent);
  }
}

// Wire the controls; return a function that stops playback (for instant navigation).
function startSlider(control, boxes, timeline) {
  const views = boxes.map((box) => showSheet(box, timeline));
  const snapshots = timeline.snapshots;
  const last = snapshots.length - 1;
  const range = control.querySelector("input[type=range]");
  const play = control.querySelector(".tc-slider__play");
  const status = control.querySelector(".tc-slider__status");
  const field = (name) => control.querySelector(`[data-field="${name}"]`);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  let timer = null;

  function show(k) {
    const s = snapshots[k];
    const stepText = fill(control.dataset.stepText, { step: s.step, total: timeline.total_steps });
    range.value = String(k);
    range.setAttribute("aria-valuetext", stepText);
    field("step").textContent = stepText;
    field("epoch").textContent = s.epoch.toFixed(2);
    field("loss").textContent = s.probe_loss.toFixed(3);
    field("prediction").textContent = fill(control.dataset.predictionText, {
      cell: s.prediction,
      p: s.probability.toFixed(2),
    });
    views.forEach((view) => view(k));
  }

  function pause() {
    clearTimeout(timer);
    timer = null;
    play.textContent = control.dataset.play;
    status.setAttribute("aria-live", "polite");
  }

  // Like the GIFs: one frame per frame_ms, the last held longer, then loop.
  function advance() {
    const k = Number(range.value) === last ? 0 : Number(range.value) + 1;
    show(k);
    timer = setTimeout(advance, k === last ? timeline.last_frame_ms : timeline.frame_ms);
  }

  function start() {
    play.textContent = control.dataset.pause;
    status.setAttribute("aria-live", "off"); // a screen reader would read every frame
    timer = setTimeout(advance, timeline.frame_ms);
  }

  const step = (delta) => {
    pause();
    show(Math.min(last, Math.max(0, Number(range.value) + delta)));
  };

  range.max = String(last);
  range.addEventListener("input", () => {
    pause();
    show(Number(range.value));
  });
  play.addEventListener("click", () => (timer === null ? start() : pause()));
  control.querySelector(".tc-slider__back").addEventListener("click", () => step(-1));
  control.querySelector(".tc-slider__forward").addEventListener("click", () => step(1));
  control.hidden = false;

  // The bar sticks under the header only while an animation shows below it: once the last
  // one has gone under the bar, the bar would cover the text that follows.
  const lastBox = boxes[boxes.length - 1];
  const stuckBottom = () => parseFloat(getComputedStyle(control).top) + control.offsetHeight;
  const release = () =>
    control.classList.toggle("tc-slider--past", lastBox.getBoundingClientRect().bottom < stuckBottom());
  addEventListener("scroll", release, { passive: true });

  // Moving pictures only for readers who have not asked for reduced motion; the others
  // see the final state, as the GIF's poster showed it.
  if (matchMedia("(prefers-reduced-motion: reduce)").matches) {
    show(last);
    pause();
  } else {
    show(0);
    start();
  }
  return () => {
    pause();
    removeEventListener("scroll", release);
  };
}
