// The "Try it" section: TinyCNN's forward pass in plain JavaScript, on any input, at any
// shipped training step. Not loaded with the page: the section's inline loader adds this
// script when the reader starts the network (or calls insideTinyCNN.forward), then calls
// window.insideTinyCNNLive(root). Everything it fetches is listed in live.json, which the
// build writes (generator/live.py): the weights of each shipped step, one file per step,
// fetched when that step is first chosen.

(() => {
  "use strict";

  // --- the network: one small function per layer, as the article writes them -----------

  // y_o(i, j) = b_o + sum_c sum_{u,v} w_{o,c}(u, v) x_c(i + u - 1, j + v - 1), zero padding 1.
  function conv3x3(x, channels, size, weight, bias) {
    const outputs = bias.length;
    const y = new Float32Array(outputs * size * size);
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          let sum = bias[o];
          for (let c = 0; c < channels; c++) {
            const w = (o * channels + c) * 9;
            const plane = c * size * size;
            for (let u = 0; u < 3; u++) {
              const row = i + u - 1;
              if (row < 0 || row >= size) continue;
              for (let v = 0; v < 3; v++) {
                const column = j + v - 1;
                if (column < 0 || column >= size) continue;
                sum += weight[w + u * 3 + v] * x[plane + row * size + column];
              }
            }
          }
          y[(o * size + i) * size + j] = sum;
        }
      }
    }
    return y;
  }

  // max(0, x)
  function relu(x) {
    return x.map((value) => (value > 0 ? value : 0));
  }

  // y(i, j) = max over the 2x2 window at (2i, 2j), per channel.
  function maxPool2(x, channels, size) {
    const half = size / 2;
    const y = new Float32Array(channels * half * half);
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < half; i++) {
        for (let j = 0; j < half; j++) {
          const at = (r, s) => x[(c * size + 2 * i + r) * size + 2 * j + s];
          y[(c * half + i) * half + j] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
        }
      }
    }
    return y;
  }

  // y = W x + b, W of shape (outputs, inputs), row-major as PyTorch stores it.
  function linear(x, weight, bias) {
    const outputs = bias.length;
    const inputs = x.length;
    const y = new Float32Array(outputs);
    for (let o = 0; o < outputs; o++) {
      let sum = bias[o];
      const row = o * inputs;
      for (let i = 0; i < inputs; i++) sum += weight[row + i] * x[i];
      y[o] = sum;
    }
    return y;
  }

  // p_k = e^{z_k - m} / sum_j e^{z_j - m}, m = max_j z_j (no overflow).
  function softmax(z) {
    const m = Math.max(...z);
    const e = z.map((value) => Math.exp(value - m));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((value) => value / total);
  }

  // Conv1 and Conv2 are returned before ReLU, the pools and FC1 after it: as the
  // article's figures show them.
  function forwardPass(pixels, w, size) {
    const c1 = w["conv1.bias"].length;
    const c2 = w["conv2.bias"].length;
    const conv1 = conv3x3(pixels, 1, size, w["conv1.weight"], w["conv1.bias"]);
    const pool1 = maxPool2(relu(conv1), c1, size);
    const conv2 = conv3x3(pool1, c1, size / 2, w["conv2.weight"], w["conv2.bias"]);
    const pool2 = maxPool2(relu(conv2), c2, size / 2);
    const fc1 = relu(linear(pool2, w["fc1.weight"], w["fc1.bias"]));
    const logits = linear(fc1, w["logits.weight"], w["logits.bias"]);
    return { conv1, pool1, conv2, pool2, fc1, logits, probs: softmax(logits) };
  }

  // --- weights: one file per step, decoded once ---------------------------------------

  function halfToFloat(h) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }

  // Each tensor at its byte offset, little-endian whatever the machine's order: float16
  // values, or (FC1's weights) int8 values times the float16 scale of their block.
  function decodeWeights(buffer, layout) {
    const view = new DataView(buffer);
    const weights = {};
    for (const { name, shape, offset, encoding, block, scales } of layout) {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let k = 0; k < values.length; k++) {
        values[k] =
          encoding === "int8"
            ? view.getInt8(offset + k) * halfToFloat(view.getUint16(scales + 2 * Math.floor(k / block), true))
            : halfToFloat(view.getUint16(offset + 2 * k, true));
      }
      weights[name] = values;
    }
    return weights;
  }

  function fetchOk(url) {
    return fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response;
    });
  }

  // --- the input: a square on the background, plus seeded Gaussian noise --------------

  // mulberry32: a small seeded generator, so a seed always gives the same noise.
  function generator(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // As the dataset draws its images (generator/data.py): square, noise, clip to [0, 1].
  function drawInput(manifest, state) {
    const size = manifest.image_size;
    const pixels = new Float32Array(size * size);
    const random = generator(state.seed);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const inside =
          i >= state.top && i < state.top + manifest.square && j >= state.left && j < state.left + manifest.square;
        const u = 1 - random(); // Box-Muller: two uniforms in (0, 1] give one normal value
        const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
        const clean = manifest.background + (inside ? manifest.contrast : 0);
        pixels[i * size + j] = Math.min(1, Math.max(0, clean + state.noise * normal));
      }
    }
    return pixels;
  }

  function decodeImage(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new Float32Array(bytes.buffer);
  }

  // The cell a square lies in, or -1 when it crosses a border.
  function cellOf(manifest, top, left) {
    const edges = Array.from({ length: manifest.grid + 1 }, (_, k) =>
      Math.floor((k * manifest.image_size) / manifest.grid),
    );
    const band = (p) => edges.findIndex((edge, k) => p >= edge && p < edges[k + 1]);
    const rows = [band(top), band(top + manifest.square - 1)];
    const columns = [band(left), band(left + manifest.square - 1)];
    if (rows[0] !== rows[1] || columns[0] !== columns[1]) return -1;
    return rows[0] * manifest.grid + columns[0];
  }

  // --- drawing, with the article's colour scales ---------------------------------------

  function rgb(hex) {
    return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  }

  function colourIndex(value, scale) {
    const levels = scale.colours.length;
    const fraction = (value - scale.low) / (scale.high - scale.low);
    return Math.min(levels - 1, Math.max(0, Math.round(fraction * (levels - 1))));
  }

  // Channels tiled `columns` to a row, one pixel apart, each value one pixel.
  function drawMaps(canvas, values, channels, size, scale, columns) {
    const rows = Math.ceil(channels / columns);
    canvas.width = columns * (size + 1) - 1;
    canvas.height = rows * (size + 1) - 1;
    const context = canvas.getContext("2d");
    const image = context.createImageData(canvas.width, canvas.height);
    const colours = scale.colours.map(rgb);
    for (let c = 0; c < channels; c++) {
      const x0 = (c % columns) * (size + 1);
      const y0 = Math.floor(c / columns) * (size + 1);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const colour = colours[colourIndex(values[(c * size + i) * size + j], scale)];
          const at = 4 * ((y0 + i) * canvas.width + x0 + j);
          image.data.set([...colour, 255], at);
        }
      }
    }
    context.putImageData(image, 0, 0);
  }

  // Bars on the figure's fixed axis; the colour says the sign, as in the animations.
  function drawBars(canvas, values, scale, highlight, labels) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 300;
    const height = 110;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const style = getComputedStyle(canvas);
    const ink = style.color;
    const labelRoom = labels ? 14 : 0;
    const plot = { top: 4, height: height - 8 - labelRoom };
    const slot = width / values.length;
    const y = (v) => {
      const clipped = Math.min(scale.high, Math.max(scale.low, v));
      return plot.top + ((scale.high - clipped) / (scale.high - scale.low)) * plot.height;
    };
    if (highlight >= 0) {
      context.fillStyle = "rgba(230, 97, 1, 0.25)"; // the article's true-cell tint
      context.fillRect(highlight * slot, plot.top, slot, plot.height);
    }
    const zero = y(0);
    values.forEach((v, k) => {
      context.fillStyle = scale.colours[v < 0 ? 0 : 1];
      const top = Math.min(zero, y(v));
      context.fillRect(k * slot + slot * 0.12, top, slot * 0.76, Math.max(1, Math.abs(y(v) - zero)));
    });
    context.fillStyle = ink;
    context.fillRect(0, zero, width, 1);
    if (labels) {
      context.font = "11px sans-serif";
      context.textAlign = "center";
      labels.forEach((label, k) => context.fillText(label, (k + 0.5) * slot, height - 3));
    }
  }

  function drawInputImage(canvas, pixels, manifest) {
    const size = manifest.image_size;
    const scale = 8;
    canvas.width = canvas.height = size * scale;
    const context = canvas.getContext("2d");
    const image = context.createImageData(size, size);
    pixels.forEach((v, k) => image.data.set([255 * v, 255 * v, 255 * v, 255], 4 * k));
    const small = document.createElement("canvas");
    small.width = small.height = size;
    small.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(small, 0, 0, size * scale, size * scale);
    // The cell grid, drawn for the reader only, as in the article's contact sheet.
    context.strokeStyle = "rgba(220, 38, 38, 0.9)";
    context.setLineDash([4, 4]);
    for (let k = 1; k < manifest.grid; k++) {
      const at = Math.floor((k * size) / manifest.grid) * scale;
      context.beginPath();
      context.moveTo(at, 0);
      context.lineTo(at, size * scale);
      context.moveTo(0, at);
      context.lineTo(size * scale, at);
      context.stroke();
    }
  }

  // --- the state in a link: ?try=image,row,column,noise,seed,step#try-it ---------------
  // image is "square" or a test image's index; step is a shipped training step. A field
  // that does not parse, or lies outside its range, keeps the section's default.

  function stateLink(state, images, steps) {
    const image = state.image === "square" ? "square" : images[Number(state.image)].index;
    const fields = [image, state.top, state.left, state.noise, state.seed, steps[state.step]];
    const url = new URL(location.href);
    url.search = `?try=${fields.join(",")}`;
    url.hash = "try-it";
    return url.href;
  }

  function stateFromLink(query, images, steps, room) {
    const fields = (new URLSearchParams(query).get("try") || "").split(",");
    const number = (text, low, high, whole = true) => {
      const value = text === "" ? NaN : Number(text);
      const ok = value >= low && value <= high && (!whole || Number.isInteger(value));
      return ok ? value : undefined;
    };
    const [image, top, left, noise, seed, step] = fields;
    const shown = images.findIndex((candidate) => String(candidate.index) === image);
    const change = {
      image: image === "square" ? "square" : shown >= 0 ? String(shown) : undefined,
      top: number(top, 0, room),
      left: number(left, 0, room),
      noise: number(noise, 0, 1, false),
      seed: number(seed, 0, 2 ** 32 - 1),
      step: steps.indexOf(number(step, 0, Infinity)),
    };
    if (change.step < 0) delete change.step;
    return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  }

  // --- the section ---------------------------------------------------------------------

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);

  async function start(root) {
    const manifestUrl = new URL(root.dataset.manifest, document.baseURI);
    const manifest = await fetchOk(manifestUrl).then((r) => r.json());
    const steps = manifest.steps.map((s) => s.step);
    const loaded = new Map(); // step -> Promise of its decoded weights

    function weightsAt(step) {
      const entry = manifest.steps.find((s) => s.step === step);
      if (!entry) throw new RangeError(`step ${step} is not shipped; choose one of ${steps.join(", ")}`);
      if (!loaded.has(step)) {
        const url = new URL(entry.file, manifestUrl);
        loaded.set(step, fetchOk(url).then((r) => r.arrayBuffer()).then((b) => decodeWeights(b, manifest.layout)));
      }
      return loaded.get(step);
    }

    async function forward(pixels, options = {}) {
      const size = manifest.image_size;
      if (!(pixels instanceof Float32Array) || pixels.length !== size * size) {
        throw new TypeError(`pixels must be a Float32Array of ${size}x${size} values, row-major`);
      }
      const step = options.step ?? steps[steps.length - 1];
      return forwardPass(pixels, await weightsAt(step), size);
    }

    const api = { steps, forward, manifest };
    await showSection(root, manifest, api);
    return api;
  }

  async function showSection(root, manifest, api) {
    const t = JSON.parse(root.dataset.strings);
    const $ = (selector) => root.querySelector(selector);
    const size = manifest.image_size;
    const room = size - manifest.square;
    const images = manifest.images.map((image) => ({ ...image, pixels: decodeImage(image.pixels) }));
    const probe = images.find((image) => image.probe);
    const state = {
      image: "square",
      top: Math.floor((size - manifest.square) / 2),
      left: Math.floor((size - manifest.square) / 2),
      noise: manifest.noise,
      seed: 1,
      step: api.steps.length - 1,
    };

    const choose = $(".tc-live__image");
    choose.append(new Option(t.your_square, "square"));
    images.forEach((image, k) => {
      const name = fill(image.probe ? t.probe_image : t.test_image, image);
      choose.append(new Option(image.misclassified ? `${name} ${t.misclassified}` : name, String(k)));
    });
    const row = $(".tc-live__row");
    const column = $(".tc-live__column");
    const noise = $(".tc-live__noise");
    const seed = $(".tc-live__seed");
    const step = $(".tc-live__step");
    row.max = column.max = String(room);
    noise.step = "0.05"; // the markup holds only numbers from the run (tests/test_knobs.py)
    step.max = String(api.steps.length - 1);
    const input = $(".tc-live__input");
    const prediction = $(".tc-live__prediction");
    let announce = null;
    let drawn = 0; // the latest update wins when weights arrive out of order

    function pixels() {
      return state.image === "square" ? drawInput(manifest, state) : images[Number(state.image)].pixels;
    }

    function trueCell() {
      if (state.image !== "square") return images[Number(state.image)].label;
      return cellOf(manifest, state.top, state.left);
    }

    async function update() {
      const ticket = ++drawn;
      const shownStep = api.steps[state.step];
      const stepText = fill(t.step_text, { step: shownStep, total: manifest.total_steps });
      step.value = String(state.step);
      step.setAttribute("aria-valuetext", stepText);
      $(".tc-live__step-value").textContent = stepText;
      row.value = String(state.top);
      column.value = String(state.left);
      noise.value = String(state.noise);
      $(".tc-live__noise-value").textContent = state.noise.toFixed(2);
      seed.value = String(state.seed);
      choose.value = state.image;
      const input_pixels = pixels();
      drawInputImage(input, input_pixels, manifest);
      const out = await api.forward(input_pixels, { step: shownStep });
      if (ticket !== drawn) return;
      const s = manifest.scales;
      drawMaps($(".tc-live__conv1"), out.conv1, out.conv1.length / size ** 2, size, s.conv1, 8);
      drawMaps($(".tc-live__pool1"), out.pool1, out.pool1.length / (size / 2) ** 2, size / 2, s.pool1, 8);
      drawMaps($(".tc-live__conv2"), out.conv2, out.conv2.length / (size / 2) ** 2, size / 2, s.conv2, 8);
      drawMaps($(".tc-live__pool2"), out.pool2, out.pool2.length / (size / 4) ** 2, size / 4, s.pool2, 8);
      const cell = trueCell();
      const cells = Array.from(out.logits, (_, k) => String(k));
      drawBars($(".tc-live__fc1"), out.fc1, s.fc1, -1, null);
      drawBars($(".tc-live__logits"), out.logits, s.logits, cell, cells);
      drawBars($(".tc-live__probs"), out.probs, s.probs, cell, cells);
      const best = out.probs.indexOf(Math.max(...out.probs));
      const text = fill(t.prediction_text, { cell: best, p: out.probs[best].toFixed(2), step: shownStep });
      root.dataset.prediction = String(best);
      // Announced once the reader pauses: not at every pixel of a drag.
      clearTimeout(announce);
      announce = setTimeout(() => (prediction.textContent = text), 300);
      $(".tc-live__share").href = stateLink(state, images, api.steps);
      $(".tc-live__where").textContent =
        cell >= 0 ? fill(t.true_cell_text, { cell }) : t.on_border_text;
    }

    const changed = (change) => {
      Object.assign(state, change);
      update().catch(fail);
    };
    const toSquare = (change) => changed({ image: "square", ...change });
    const fail = (error) => {
      $(".tc-live__error").hidden = false;
      console.warn("live network:", error);
    };

    choose.addEventListener("change", () => changed({ image: choose.value }));
    row.addEventListener("input", () => toSquare({ top: Number(row.value) }));
    column.addEventListener("input", () => toSquare({ left: Number(column.value) }));
    noise.addEventListener("input", () => toSquare({ noise: Number(noise.value) }));
    seed.addEventListener("change", () => toSquare({ seed: Math.max(0, Math.floor(Number(seed.value) || 0)) }));
    $(".tc-live__new-noise").addEventListener("click", () => toSquare({ seed: state.seed + 1 }));
    step.addEventListener("input", () => changed({ step: Number(step.value) }));

    // Click or tap places the square's centre there; dragging moves it along.
    const place = (event) => {
      const box = input.getBoundingClientRect();
      const at = (p, length) => Math.round((p / length) * size - manifest.square / 2);
      const clamp = (v) => Math.min(room, Math.max(0, v));
      toSquare({
        top: clamp(at(event.clientY - box.top, box.height)),
        left: clamp(at(event.clientX - box.left, box.width)),
      });
    };
    input.addEventListener("pointerdown", (event) => {
      input.setPointerCapture(event.pointerId);
      place(event);
    });
    input.addEventListener("pointermove", (event) => {
      if (input.hasPointerCapture(event.pointerId)) place(event);
    });
    // Arrow keys on the image move the square one pixel (the row and column sliders too).
    input.addEventListener("keydown", (event) => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const [dy, dx] = moves[event.key];
      const clamp = (v) => Math.min(room, Math.max(0, v));
      toSquare({ top: clamp(state.top + dy), left: clamp(state.left + dx) });
    });
    addEventListener("resize", () => update().catch(fail));

    if (probe) state.image = String(images.indexOf(probe));
    Object.assign(state, stateFromLink(location.search, images, api.steps, room));
    $(".tc-live__app").hidden = false;
    await update();
  }

  window.insideTinyCNNLive = start;
})();
