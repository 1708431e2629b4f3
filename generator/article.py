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

from generator.study.seeds import verdict_split

Context = dict[str, Any]


def percent(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def early_snapshots(run: dict[str, Any]) -> int:
    """How many snapshots fall in the first third of training."""
    return sum(step < run["total_steps"] / 3 for step in run["snapshot_steps"])


def accuracy_bar(context: Context) -> str:
    return percent(context["facts"]["claims"]["accuracy_passes_90"]["threshold"], 0)


def unreached_levels(noise: dict[str, Any]) -> list[float]:
    """Noise levels whose test accuracy never reached 90% within the run."""
    return [run["noise"] for run in noise["runs"] if run["step_test_90"] is None]


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
    "cnr": lambda x: x["facts"]["pooling"]["cnr"],
    "probe": lambda x: x["facts"]["probe"],
    "top": lambda x: x["facts"]["fc1_standout"],
    "lead": lambda x: x["facts"]["logit_lead"],
    "at_init": lambda x: x["facts"]["claims"]["pooling_raises_contrast_at_init"],
    "d": lambda x: x["config"]["data"],
    "bar": accuracy_bar,
    # the seed study (index pages)
    "sd": lambda x: x["study"]["seeds"],
    "n": lambda x: len(x["study"]["seeds"]["seeds"]),
    "verdicts": lambda x: verdict_split(x["study"]["seeds"]["claims"]),
    "unit": lambda x: x["study"]["seeds"]["metrics"]["fc1_standout_unit"],
    "lead_steps": lambda x: x["study"]["seeds"]["metrics"]["logit_lead_step"],
    # the experiments (experiments pages)
    "e": lambda x: x["study"]["experiments"],
    "ec": lambda x: x["study"]["experiments"]["claims"],
    "pair": lambda x: x["study"]["experiments"]["mlp_vs_cnn"],
    "cnn": lambda x: x["study"]["experiments"]["mlp_vs_cnn"]["cnn"],
    "mlp": lambda x: x["study"]["experiments"]["mlp_vs_cnn"]["mlp"],
    "noise": lambda x: x["study"]["experiments"]["noise"],
    "unreached": lambda x: unreached_levels(x["study"]["experiments"]["noise"]),
}


def page_values(context: Context, language: str) -> Context:
    """Everything a page's template gets beyond the context: derived values and its words."""
    values: Context = {}
    table = {**DERIVED, "t": lambda x: words(language, accuracy_bar(x))}
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
    """The page language's labels, with the accuracy bar filled in where they name it."""
    table = WORDS[language]
    labels = {name: label.format(bar=bar) for name, label in table["seed_labels"].items()}
    return {**table, "seed_labels": labels}


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
            "yes": "✓",
            "no": "✗",
        },
        "seed_labels": {
            "conv1_keeps_patterns": "Conv1 のカーネルが初期の模様を保つ",
            "fc1_unit_stands_out": "FC1 で一つのユニットが突出する",
            "true_logit_leads": "正解のロジットが最後に首位",
            "accuracy_passes_90": "テスト精度が {bar} に届く",
            "pooling_raises_contrast": "学習後のプーリングでコントラストが上がる",
            "pooling_raises_contrast_at_init": "初期の重みでもプーリングでコントラストが上がる",
            "conv1_change": "Conv1 の重みの変化(初期値のノルム比)",
            "fc1_standout_unit": "FC1 で最大のユニットの番号",
            "fc1_standout_from_step": "そのユニットが最大になったステップ",
            "logit_lead_step": "正解のロジットが首位に立ったステップ",
            "step_test_90": "テスト精度が {bar} を超えたステップ",
            "final_test_accuracy": "最終テスト精度",
        },
        "claims_header": ["主張", "値", "しきい値", "成立"],
        "yes": "はい",
        "no": "いいえ",
        "downloads_header": ["ファイル", "内容", "サイズ(バイト)", "SHA-256"],
        "downloads": {
            "config.json": "このビルドの設定。`--config` に渡すと同じ記事を組み立てます",
            "facts.json": "本文の数値すべての出どころ。学習の記録から計算した値",
            "weights.npz": "学習後の TinyCNN の重み(PyTorch の state_dict を NumPy 配列にしたもの)",
            "trace.npz": "学習中に記録したすべての配列。各図はここから描いています",
            "seeds.json": "シードを変えた学習の測定値と、その平均・標準偏差",
            "experiments.json": "MLP との比較とノイズの強さを変えた学習の結果",
            "live.json": "動くネットワークが重みのほかに読むもの(ステップ、並び、色、画像)",
            "live-step": "ステップ %d の TinyCNN の重み(float16、動くネットワーク用)",
        },
        "figure_data": "図 %s のデータ",
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
            "yes": "✓",
            "no": "✗",
        },
        "seed_labels": {
            "conv1_keeps_patterns": "Conv1 kernels keep their initial pattern",
            "fc1_unit_stands_out": "one FC1 unit stands out",
            "true_logit_leads": "the true logit ends on top",
            "accuracy_passes_90": "test accuracy reaches {bar}",
            "pooling_raises_contrast": "pooling raises the contrast after training",
            "pooling_raises_contrast_at_init": "pooling raises the contrast at initialisation",
            "conv1_change": "Conv1 weight change (share of the initial norm)",
            "fc1_standout_unit": "largest FC1 unit at the end",
            "fc1_standout_from_step": "step from which it is the largest",
            "logit_lead_step": "step from which the true logit leads",
            "step_test_90": "first step above {bar} test accuracy",
            "final_test_accuracy": "final test accuracy",
        },
        "claims_header": ["claim", "value", "threshold", "holds"],
        "yes": "yes",
        "no": "no",
        "downloads_header": ["file", "what it is", "size (bytes)", "SHA-256"],
        "downloads": {
            "config.json": "this build's config; pass it to `--config` to rebuild the article",
            "facts.json": "every number the article states, derived from the run",
            "weights.npz": "TinyCNN's final weights (its PyTorch state_dict as NumPy arrays)",
            "trace.npz": "everything recorded during training; every figure is drawn from it",
            "seeds.json": "the same setup trained with other seeds: values, means and spreads",
            "experiments.json": "the same-size MLP and the noise levels: curves and results",
            "live.json": "what the live network loads besides weights: steps, colours, images",
            "live-step": "TinyCNN's weights at step %d as float16, run by the live network",
        },
        "figure_data": "data behind the figure %s",
        "config_title": "This article's config (config.json)",
    },
}
