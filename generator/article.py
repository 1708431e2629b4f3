"""What the article's templates are given besides the run's results.

The templates hold prose and choose wording; whatever is computed lives here.
`page_values(context, language)` gives a page's template
- values taken or computed from the facts, the config and the study (the last snapshot
  step, the seed study's verdict split, ...), under the short names the templates use;
- `t`, the page language's `WORDS`: the labels that tables and controls show (table
  headers, the slider's buttons, the names of claims and values in the seeds table, what
  each download is).
Japanese pages are `<name>.md`, English ones `<name>.en.md`.

A value that cannot be derived (a fact missing from this run, or the study when the build
left it out) becomes undefined: a template that uses it stops with an error naming it,
one that does not is unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from generator import passages, wording
from generator.passages import percent
from generator.study.claims import main_level_run
from generator.study.seeds import METRICS, verdict_split

Context = dict[str, Any]


def early_snapshots(run: dict[str, Any]) -> int:
    """How many snapshots fall in the first third of training."""
    return sum(step < run["total_steps"] / 3 for step in run["snapshot_steps"])


def accuracy_bar(context: Context) -> str:
    return percent(context["facts"]["claims"]["accuracy_passes_90"]["threshold"], 0)


def silent_channels(facts: Context) -> Context:
    """Per conv layer, the channels the prose points out: dead ones (0 everywhere on every
    test image), partly silent ones with their share of the images, and those whose map is
    black (0 everywhere) for the probe at the end."""
    channels = facts["channel_population"]
    said: Context = {}
    for layer, shares in channels["silent_share"].items():
        silent = [{"channel": c, "share": x} for c, x in enumerate(shares) if x > 0]
        said[layer] = {
            "count": len(shares),
            "silent": silent,
            "dead": [s["channel"] for s in silent if s["share"] >= 1],
            "partly": [s for s in silent if s["share"] < 1],
            "probe": channels["probe_silent"][layer],
        }
    return said


def claim_words(context: Context, language: str) -> Context:
    """The sentences and "How we know" rows of every claim, in the page's language.

    "article": the main run's claims over test images, then (with the study) the seed
    study's claims about training; "experiments": the experiments page's claims.
    """
    facts, study = context["facts"], context.get("study")
    extras = wording.fact_extras(facts)
    article = dict(facts["claims"])
    said: Context = {}
    if study:
        article.update(study["seeds"]["seed_claims"])
        experiments = study["experiments"]["claims"]
        said["experiments"] = wording.claim_words(
            experiments,
            wording.EXPERIMENT_TEXTS,
            language,
            extras | wording.experiment_extras(study["experiments"]),
        )
    said["article"] = wording.claim_words(article, wording.TEXTS, language, extras)
    return said


# Name in the templates -> how it is derived from the render context.
DERIVED: dict[str, Callable[[Context], Any]] = {
    "f": lambda x: x["facts"],
    "c": lambda x: x["facts"]["claims"],
    "s": lambda x: x["facts"]["shapes"],
    "p": lambda x: x["facts"]["params"]["per_layer"],
    "a": lambda x: x["facts"]["architecture"],
    "acc": lambda x: x["facts"]["accuracy"],
    "run": lambda x: x["facts"]["run"],
    "last": lambda x: x["facts"]["run"]["snapshot_steps"][-1],
    "early": lambda x: early_snapshots(x["facts"]["run"]),
    "probe": lambda x: x["facts"]["probe"],
    "top": lambda x: x["facts"]["fc1_standout"],
    "lead": lambda x: x["facts"]["logit_lead"],
    "k1": lambda x: x["facts"]["conv1_change"],
    "quiet": lambda x: silent_channels(x["facts"]),
    "views": lambda x: x["facts"]["fc1_population"]["views"],
    "d": lambda x: x["config"]["data"],
    "bar": accuracy_bar,
    "snr": lambda x: x["facts"]["data"]["snr"],
    # the seed study (index pages)
    "sd": lambda x: x["study"]["seeds"],
    "n": lambda x: len(x["study"]["seeds"]["seeds"]),
    "digits": lambda x: {name: METRICS[name].digits for name in x["study"]["seeds"]["metrics"]},
    # the experiments (experiments pages)
    "e": lambda x: x["study"]["experiments"],
    "ec": lambda x: x["study"]["experiments"]["claims"],
    "pair": lambda x: x["study"]["experiments"]["mlp_vs_cnn"],
    "cnn": lambda x: x["study"]["experiments"]["mlp_vs_cnn"]["cnn"],
    "mlp": lambda x: x["study"]["experiments"]["mlp_vs_cnn"]["mlp"],
    "noise": lambda x: x["study"]["experiments"]["noise"],
    "budget": lambda x: x["study"]["experiments"]["budget"],
    "at_main": lambda x: main_level_run(x["study"]["experiments"]["noise"]),
}


# What a page's figures add to their stem (generator/figures/words.py draws each figure
# once per language): the Japanese pages show X-ja.png, the English ones X.png.
FIGURE_SUFFIX = {"ja": "-ja", "en": ""}


def page_values(context: Context, language: str) -> Context:
    """Everything a page's template gets beyond the context: derived values and its words."""
    values: Context = {"figure_suffix": FIGURE_SUFFIX[language]}
    table = {
        **DERIVED,
        "t": lambda x: words(language, accuracy_bar(x)),
        "words": lambda x: claim_words(x, language),
        "say": lambda x: claim_words(x, language)["article"]["say"],
        "esay": lambda x: claim_words(x, language)["experiments"]["say"],
        "quiet_said": lambda x: passages.silent_channels(
            silent_channels(x["facts"]), x["config"]["data"]["test_size"], language
        ),
        "seeds_said": lambda x: passages.seed_study(
            x["study"]["seeds"],
            verdict_split(x["study"]["seeds"]["claims"]),
            words(language, accuracy_bar(x))["seed_labels"],
            x["facts"]["fc1_standout"]["unit"],
            language,
        ),
    }
    for name, derive in table.items():
        try:
            values[name] = derive(context)
        except (KeyError, IndexError, TypeError) as err:  # TypeError: no study (None)
            values[name] = jinja2.StrictUndefined(
                hint=f"'{name}' is undefined: the run has no {err}", name=name
            )
    return values


def page_language(page: str) -> str:
    """The language of a page: "index.en.md" is English, "index.md" Japanese (the default)."""
    suffixes = page.split(".")[1:]
    return suffixes[0] if len(suffixes) > 1 else "ja"


def words(language: str, bar: str) -> Context:
    """The page language's labels, with the accuracy bar filled in where they name it, and
    each figure's data download described by the figure's name rather than its file's."""
    table = WORDS[language]
    labels = {name: label.format(bar=bar) for name, label in table["seed_labels"].items()}
    figures = {
        f"{stem}.npz": table["figure_data"] % name for stem, name in FIGURE_NAMES[language].items()
    }
    return {**table, "seed_labels": labels, "downloads": {**figures, **table["downloads"]}}


# What each figure shows, as its data download names it.
FIGURE_NAMES: dict[str, dict[str, str]] = {
    "ja": {
        "contact_sheet": "ノイズなしのサンプル",
        "noisy_dataset_preview": "ノイズありのサンプル",
        "training_curves": "損失と精度の推移",
        "confusion_matrix": "混同行列",
        "conv1_filters_evolution": "Conv1 のカーネル",
        "conv1_fmap_evolution": "Conv1 の特徴マップ",
        "pool1_fmap_evolution": "MaxPool1 の出力",
        "conv2_fmap_evolution": "Conv2 の特徴マップ",
        "pool2_fmap_evolution": "MaxPool2 の出力",
        "fc1_fmap_evolution": "FC1 の出力",
        "logits_fmap_evolution": "ロジット",
        "probs_fmap_evolution": "Softmax の出力",
        "fc1_class_map": "マスごとの FC1 の平均出力",
        "fc1_templates": "FC1 の重みの位置マップ",
        "silent_channels": "反応しないチャネルの割合",
        "mlp_vs_cnn": "TinyCNN と MLP の比較",
        "noise_levels": "ノイズの強さごとの精度",
    },
    "en": {
        "contact_sheet": "clean samples",
        "noisy_dataset_preview": "noisy samples",
        "training_curves": "training curves",
        "confusion_matrix": "confusion matrix",
        "conv1_filters_evolution": "Conv1 kernels",
        "conv1_fmap_evolution": "Conv1 feature maps",
        "pool1_fmap_evolution": "MaxPool1 output",
        "conv2_fmap_evolution": "Conv2 feature maps",
        "pool2_fmap_evolution": "MaxPool2 output",
        "fc1_fmap_evolution": "FC1 output",
        "logits_fmap_evolution": "logits",
        "probs_fmap_evolution": "softmax output",
        "fc1_class_map": "FC1's mean output per cell",
        "fc1_templates": "FC1's weights as position maps",
        "silent_channels": "share of images each channel is silent on",
        "mlp_vs_cnn": "TinyCNN against the MLP",
        "noise_levels": "accuracy per noise level",
    },
}


WORDS: dict[str, Context] = {
    "ja": {
        "shape_header": ["層", "処理", "出力の形状", "パラメータ数"],
        "shape_names": {
            "input": "入力",
            "kernels": "カーネル",
            "logits": "ロジット",
            "probs": "確率",
            "total": "合計",
        },
        "slider": {
            "group": "全アニメーションの学習ステップ",
            "label": "学習ステップ",
            "play": "再生",
            "pause": "一時停止",
            "back": "前のスナップショット",
            "forward": "次のスナップショット",
            "step": "ステップ",
            "epoch": "エポック",
            "loss": "損失(プローブ画像)",
            "prediction": "予測",
            "step_text": "{step} / {total}",
            "prediction_text": "マス {cell}(確率 {p})",
        },
        "seeds_table": {
            "claim": "主張",
            "value": "測定値",
            "seed": "シード",
            "main": "この記事",
            "mean": "平均 ± 標準偏差",
            "holds_in": "成立",
            "distinct": "%d 種類",
            "verdict": {"holds": "✓", "fails": "✗", "inconclusive": "?"},
        },
        "seed_labels": {
            "accuracy_passes_90": "テスト精度が {bar} を超える",
            "fc1_probe_unit_is_generic": "プローブ画像で最大の FC1 ユニットが多くの画像で最大",
            "fc1_units_silenced": "学習で FC1 ユニットが発火しなくなる",
            "fc1_units_span_cells": "FC1 ユニットが複数のマスに反応する",
            "conv_channels_silenced": "学習で畳み込みチャネルが反応しなくなる",
            "pool1_raises_contrast": "学習後の MaxPool1 で CNR が上がる",
            "pool2_raises_contrast": "学習後の MaxPool2 で CNR が上がる",
            "pool1_raises_contrast_at_init": "初期の重みの MaxPool1 で CNR が上がる",
            "pool2_raises_contrast_at_init": "初期の重みの MaxPool2 で CNR が上がる",
            "pool1_beats_average": "MaxPool1 は同じマップの平均より CNR を上げる",
            "conv1_change": "Conv1 の重みの変化(初期値のノルム比)",
            "conv1_cosine_median": "Conv1 カーネルと初期値のコサインの中央値",
            "conv1_random_cosine": "同じ大きさのランダムな更新での中央値",
            "conv1_box_aligned_end": "最後にボックスフィルタに近い Conv1 カーネルの数",
            "fc1_standout_unit": "FC1 で最大のユニットの番号",
            "fc1_standout_from_step": "そのユニットが最大になったステップ",
            "logit_lead_step": "正解のロジットが首位に立ったステップ",
            "step_test_90": "テスト精度が {bar} を超えたステップ",
            "final_test_accuracy": "最終テスト精度",
        },
        "downloads_header": ["ファイル", "内容", "サイズ(バイト)", "SHA-256"],
        "downloads": {
            "config.json": "このビルドの設定。`--config` に渡すと同じ記事を組み立てます",
            "facts.json": "本文の数値すべての出どころ。学習の記録とテスト画像から計算した値",
            "weights.npz": "学習後の TinyCNN の重み(PyTorch の層ごとの重みを NumPy 配列にしたもの)",
            "trace.npz": "学習中に記録したすべての配列。各図はここから描いています",
            "seeds.json": "シードを変えた学習の測定値と、その平均・標準偏差",
            "experiments.json": "MLP との比較とノイズの強さを変えた学習の結果(シードごと)",
            "live.json": "動くネットワークが重みのほかに読むもの(ステップ、並び、色、画像)",
            "live-step": "動くネットワークが使うステップ %d の重み(FC1 は int8)",
        },
        "figure_data": "図「%s」のデータ",
        "config_title": "この記事の設定(config.json)",
    },
    "en": {
        "shape_header": ["layer", "operation", "output shape", "parameters"],
        "shape_names": {
            "input": "input",
            "kernels": "kernels",
            "logits": "logits",
            "probs": "probabilities",
            "total": "total",
        },
        "slider": {
            "group": "Training step of every animation",
            "label": "Training step",
            "play": "Play",
            "pause": "Pause",
            "back": "Previous snapshot",
            "forward": "Next snapshot",
            "step": "Step",
            "epoch": "Epoch",
            "loss": "Probe loss",
            "prediction": "Prediction",
            "step_text": "{step} of {total}",
            "prediction_text": "cell {cell} (p = {p})",
        },
        "seeds_table": {
            "claim": "claim",
            "value": "measured",
            "seed": "seed",
            "main": "this article",
            "mean": "mean ± std",
            "holds_in": "holds in",
            "distinct": "%d different",
            "verdict": {"holds": "✓", "fails": "✗", "inconclusive": "?"},
        },
        "seed_labels": {
            "accuracy_passes_90": "test accuracy above {bar}",
            "fc1_probe_unit_is_generic": "the probe's largest FC1 unit tops many test images",
            "fc1_units_silenced": "training silences FC1 units",
            "fc1_units_span_cells": "each live FC1 unit answers for several cells",
            "conv_channels_silenced": "training silences conv channels",
            "pool1_raises_contrast": "MaxPool1 raises the CNR, trained",
            "pool2_raises_contrast": "MaxPool2 raises the CNR, trained",
            "pool1_raises_contrast_at_init": "MaxPool1 raises the CNR, initial weights",
            "pool2_raises_contrast_at_init": "MaxPool2 raises the CNR, initial weights",
            "pool1_beats_average": "MaxPool1 raises the CNR more than averaging the same maps",
            "conv1_change": "Conv1 weight change (share of the initial norm)",
            "conv1_cosine_median": "median cosine of Conv1 kernels with their start",
            "conv1_random_cosine": "the same for random updates of the same sizes",
            "conv1_box_aligned_end": "Conv1 kernels near the box filter at the end",
            "fc1_standout_unit": "largest FC1 unit at the end",
            "fc1_standout_from_step": "step from which it is the largest",
            "logit_lead_step": "step from which the true logit leads",
            "step_test_90": "first step above {bar} test accuracy",
            "final_test_accuracy": "final test accuracy",
        },
        "downloads_header": ["file", "what it is", "size (bytes)", "SHA-256"],
        "downloads": {
            "config.json": "this build's config; pass it to `--config` to rebuild the article",
            "facts.json": "every number the article states, from the run and the test images",
            "weights.npz": "TinyCNN's final weights (PyTorch's weights per layer, as NumPy arrays)",
            "trace.npz": "everything recorded during training; every figure is drawn from it",
            "seeds.json": "the same setup trained with other seeds: values, means and spreads",
            "experiments.json": "the same-size MLP and the noise levels, seed by seed",
            "live.json": "what the live network loads besides weights: steps, colours, images",
            "live-step": "the live network's weights at step %d (FC1 as int8)",
        },
        "figure_data": "data behind the figure “%s”",
        "config_title": "This article's config (config.json)",
    },
}
