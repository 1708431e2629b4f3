"""What the pages say about each claim, in each language, for each verdict.

A claim (evidence.py) carries numbers and a verdict; this module turns it into the
sentence the article prints, and into a row of the reader-facing "How we know"
section: the sentence, how it was measured, the value with its 95% interval, the bar
(a threshold, or what no effect or chance would give), the sample and the verdict.
Every claim has a sentence for all three verdicts in both languages, so a verdict
that changes changes the text, and the two languages say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import evidence

Claim = dict[str, Any]
LANGUAGES = ("ja", "en")
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Text:
    """One claim's words. `unit` formats its numbers; each text is a str.format pattern
    over value, lo, hi, base, base_lo, base_hi, threshold, n and the claim's extras."""

    unit: str  # "percent", "points" (a difference of two shares), "number"
    short: dict[str, str]  # the sentence it backs, one line, per language
    measure: dict[str, str]  # how it is measured, per language
    holds: dict[str, str]
    fails: dict[str, str]
    inconclusive: dict[str, str]


VERDICT_WORDS = {
    "en": {"holds": "holds", "fails": "does not hold", "inconclusive": "inconclusive"},
    "ja": {"holds": "成り立つ", "fails": "成り立たない", "inconclusive": "判定できない"},
}
SAMPLE = {
    "en": {"n_images": "{n:,} test images", "n_seeds": "{n} training seeds"},
    "ja": {"n_images": "テスト画像 {n:,} 枚", "n_seeds": "学習シード {n} 個"},
}
PASSES = {
    "en": {"above": "interval wholly above the bar", "below": "interval wholly below the bar"},
    "ja": {"above": "区間全体が比較対象より上", "below": "区間全体が比較対象より下"},
}
HEADER = {
    "en": ["claim", "measured as", "value (95% interval)", "bar", "sample", "passes if",
           "verdict"],
    "ja": ["主張", "測り方", "値(95% 区間)", "比較対象", "標本", "成り立つ条件", "判定"],
}  # fmt: skip
BAR = {
    "en": {"threshold": "threshold {threshold}", "baseline": "{base} ({base_lo} to {base_hi})"},
    "ja": {"threshold": "しきい値 {threshold}", "baseline": "{base}({base_lo}〜{base_hi})"},
}


def fmt(value: float, unit: str, lang: str) -> str:
    if unit == "percent":
        return f"{value * 100:.1f}%"
    if unit == "points":
        return f"{value * 100:+.1f} " + ("ポイント" if lang == "ja" else "points")
    if value == 0:
        return "0"  # the no-effect bar: 0.0000 would suggest a measured number
    if abs(value) < 0.01:
        return f"{value:.4f}"
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"


def numbers(claim: Claim, unit: str, lang: str, extras: dict[str, Any]) -> dict[str, Any]:
    """The claim's numbers as the page prints them, plus any extras (unit indices, counts)."""
    lo, hi = claim["interval"]
    values: dict[str, Any] = {
        "value": fmt(claim["value"], unit, lang),
        "lo": fmt(lo, unit, lang),
        "hi": fmt(hi, unit, lang),
        "n": claim.get("n_images", claim.get("n_seeds")),
        **extras,
    }
    if "threshold" in claim:
        values["threshold"] = fmt(claim["threshold"], unit, lang)
    if "baseline" in claim:
        base = claim["baseline"]
        values.update(
            base=fmt(base["value"], unit, lang),
            base_lo=fmt(base["interval"][0], unit, lang),
            base_hi=fmt(base["interval"][1], unit, lang),
        )
    return values


# A claim measured on too small a sample says so, whatever its interval.
TOO_FEW = {
    "en": "The claim \u201c{short}\u201d cannot be judged from this build: it was measured on "
    "{sample}, fewer than the {minimum} a verdict needs (value {value}, 95% interval {lo} to "
    "{hi}).",
    "ja": "「{short}」かどうかは、このビルドでは判定できません。測定に使えたのは{sample}"
    "で、判定に必要な {minimum} に足りません(値 {value}、95% 区間 {lo}〜{hi})。",
}


def sentence(text: Text, claim: Claim, lang: str, extras: dict[str, Any]) -> str:
    values = numbers(claim, text.unit, lang, extras)
    if not claim["enough_sample"]:
        sample = "n_images" if "n_images" in claim else "n_seeds"
        minimum = evidence.MIN_IMAGES if sample == "n_images" else evidence.MIN_SEEDS
        return TOO_FEW[lang].format(
            short=text.short[lang].format(**values),
            sample=SAMPLE[lang][sample].format(n=values["n"]),
            minimum=minimum,
            **values,
        )
    return getattr(text, claim["verdict"])[lang].format(**values)


def row(text: Text, claim: Claim, lang: str, extras: dict[str, Any]) -> list[str]:
    """One line of "How we know"."""
    values = numbers(claim, text.unit, lang, extras)
    sample = "n_images" if "n_images" in claim else "n_seeds"
    if "threshold" in claim:
        bar = BAR[lang]["threshold"].format(**values)
    elif values["base_lo"] == values["base_hi"]:  # a fixed no-effect value has no interval
        bar = values["base"]
    else:
        bar = BAR[lang]["baseline"].format(**values)
    interval = (
        f"{values['lo']} to {values['hi']}" if lang == "en" else f"{values['lo']}〜{values['hi']}"
    )
    return [
        text.short[lang].format(**values),
        text.measure[lang].format(**values),
        f"{values['value']} ({interval})" if lang == "en" else f"{values['value']}({interval})",
        bar,
        SAMPLE[lang][sample].format(n=values["n"]),
        PASSES[lang][claim["passes"]],
        VERDICT_WORDS[lang][claim["verdict"]],
    ]


def pooling_text(pool: str, initial: bool) -> Text:
    """The four pooling claims differ only in the pool and in the weights measured."""
    when_en = " with the initial, random weights" if initial else " in the trained network"
    when_ja = "学習前のランダムな重みでは、" if initial else "学習後のネットワークでは、"
    return Text(
        unit="number",
        short={
            "en": f"{pool} makes the square stand out more{when_en}",
            "ja": f"{when_ja}{pool} で正方形が背景から際立つ",
        },
        measure={
            "en": "change of each channel's contrast-to-noise ratio (CNR) through the pool, "
            "averaged over the channels that light up on the square; same windows before and "
            "after, border windows left out; no effect: 0",
            "ja": "プーリング前後でのチャネルごとのコントラスト対ノイズ比(CNR)の変化。"
            "正方形で明るくなるチャネルの平均で、前後とも"
            "同じ窓を使い、端の窓は除外。効果なしなら 0",
        },
        holds={
            "en": f"Over {{n:,}} test images,{when_en} {pool} raises the CNR of the channels that "
            "light up on the square by {value} on average (95% interval {lo} to {hi}; no effect "
            "would be 0).",
            "ja": f"テスト画像 {{n:,}} 枚で測ると、{when_ja}{pool} は正方形で明るくなるチャネルの "
            "CNR を平均 {value} 上げます(95% 区間 {lo}〜{hi}。効果がなければ 0)。",
        },
        fails={
            "en": f"Over {{n:,}} test images,{when_en} {pool} lowers the CNR of the channels that "
            "light up on the square: the change is {value} on average (95% interval {lo} to "
            "{hi}; no effect would be 0).",
            "ja": f"テスト画像 {{n:,}} 枚で測ると、{when_ja}{pool} は正方形で明るくなるチャネルの "
            "CNR をむしろ下げます。変化は平均 {value} です"
            "(95% 区間 {lo}〜{hi}。効果がなければ 0)。",
        },
        inconclusive={
            "en": f"Over {{n:,}} test images,{when_en} {pool} changes the CNR of the channels "
            "that light up on the square by {value} on average, with a 95% interval ({lo} to "
            "{hi}) that includes 0: no effect we can measure.",
            "ja": f"テスト画像 {{n:,}} 枚で測ると、{when_ja}"
            f"{pool} による CNR の変化は平均 {{value}} で、"
            "95% 区間({lo}〜{hi})が 0 をまたぎます。測れるほどの効果はありません。",
        },
    )


def box_template_text(where_en: str, where_ja: str) -> Text:
    """The two box-template claims differ only in the noise level they are measured at."""
    return Text(
        unit="points",
        short={
            "en": f"{where_en}, TinyCNN does not reach the box template",
            "ja": f"{where_ja}、TinyCNN はボックスフィルタに届かない",
        },
        measure={
            "en": f"{where_en}: per test image, whether the box template is right minus the "
            "share of seeds whose TinyCNN is, averaged; no effect: 0",
            "ja": f"{where_ja}、テスト画像ごとに「ボックスフィルタが正解か」から「正解した "
            "TinyCNN のシードの割合」を引いて平均した値。差がなければ 0",
        },
        holds={
            "en": f"{where_en}, TinyCNN does not reach the box template within its budget: "
            "image by image, the template's lead in test accuracy is {value} (TinyCNN averaged "
            "over the seeds; 95% interval {lo} to {hi} over {n:,} test images).",
            "ja": f"{where_ja}、決められた学習量で TinyCNN はボックスフィルタに届きません。"
            "画像ごとに比べたテスト正解率の差(ボックスフィルタから TinyCNN を引いた値)は "
            "{value}です(TinyCNN はシードの平均。テスト画像 {n:,} 枚、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": f"{where_en}, TinyCNN ends ahead of the box template: image by image, the "
            "template's lead in test accuracy is {value} (TinyCNN averaged over the seeds; 95% "
            "interval {lo} to {hi} over {n:,} test images).",
            "ja": f"{where_ja}、TinyCNN がボックスフィルタを上回りました。画像ごとに比べた"
            "テスト正解率の差(ボックスフィルタから TinyCNN を引いた値)は {value}です"
            "(TinyCNN はシードの平均。テスト画像 {n:,} 枚、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": f"{where_en}, TinyCNN and the box template end level as far as {{n:,}} test "
            "images can tell: the template's lead in test accuracy is {value}, with a 95% "
            "interval ({lo} to {hi}) that includes 0.",
            "ja": f"{where_ja}、TinyCNN とボックスフィルタの差はテスト画像 {{n:,}} 枚では見分け"
            "られません。テスト正解率の差(ボックスフィルタから TinyCNN を引いた値)は {value}"
            "で、95% 区間({lo}〜{hi})が 0 をまたぎます。",
        },
    )


def pool_lead_text(other: str, other_en: str, other_ja: str) -> Text:
    """Max pooling against another downsampling: the two claims differ only in the other."""
    final = "{" + other + "_final}"
    return Text(
        unit="points",
        short={
            "en": f"max pooling ends ahead of {other_en}",
            "ja": f"最大値プーリングは{other_ja}より最終精度が高い",
        },
        measure={
            "en": f"per seed, final test accuracy with max pooling minus with {other_en}; "
            "no effect: 0",
            "ja": "シードごとの最終テスト精度の差(最大値プーリングから"
            f"{other_ja}を引いた値)。差がなければ 0",
        },
        holds={
            "en": f"Max pooling ends ahead of {other_en}: {{max_final}} against {final}, a lead "
            "of {value} seed by seed (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": f"最終精度は最大値プーリングが {{max_final}}、{other_ja}が {final} で、"
            "シードごとの差は {value}と最大値プーリングが上回りました(学習シード {n} 個の平均、"
            "95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": f"{other_en.capitalize()} ends ahead of max pooling: {final} against "
            "{max_final}, a difference of {value} (max pooling minus the other; mean over {n} "
            "seeds, 95% interval {lo} to {hi}).",
            "ja": f"最終精度は{other_ja}が {final} で、最大値プーリングの {{max_final}} を"
            "上回りました(差 {value}、学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": f"Max pooling and {other_en} end level as far as {{n}} seeds can tell: "
            f"{{max_final}} against {final}, a difference of {{value}} with a 95% interval "
            "({lo} to {hi}) that includes 0.",
            "ja": f"最終精度は最大値プーリングが {{max_final}}、{other_ja}が {final} で、"
            "差 {value}の 95% 区間({lo}〜{hi})が 0 を含みます。学習シード {n} 個では"
            "差を見分けられません。",
        },
    )


TEXTS: dict[str, Text] = {
    "accuracy_passes_90": Text(
        unit="percent",
        short={
            "en": "the network finds the square",
            "ja": "ネットワークは正方形の位置を当てられる",
        },
        measure={
            "en": "accuracy of the trained network on every test image; "
            "chance: one cell in {classes}",
            "ja": "学習後のネットワークの、全テスト画像での正解率。偶然なら {classes} マスに 1 回",
        },
        holds={
            "en": "On all {n:,} test images the trained network finds the right cell {value} of "
            "the time (95% interval {lo} to {hi}); guessing would score about {base}.",
            "ja": "テスト画像 {n:,} 枚すべてで測ると、学習後の正解率は {value} です(95% 区間 "
            "{lo}〜{hi})。当てずっぽうなら {base} 程度です。",
        },
        fails={
            "en": "On all {n:,} test images the trained network finds the right cell only "
            "{value} of the time (95% interval {lo} to {hi}), below {threshold}.",
            "ja": "テスト画像 {n:,} 枚すべてで測ると、学習後の正解率は {value} にとどまり"
            "(95% 区間 {lo}〜{hi})、{threshold} に届きません。",
        },
        inconclusive={
            "en": "On all {n:,} test images the trained network finds the right cell {value} of "
            "the time, but the 95% interval ({lo} to {hi}) reaches below {threshold}.",
            "ja": "テスト画像 {n:,} 枚すべてで測ると、学習後の正解率は {value} ですが、95% 区間"
            "({lo}〜{hi})が {threshold} を下回る側にかかっています。",
        },
    ),
    "fc1_probe_unit_is_generic": Text(
        unit="percent",
        short={
            "en": "the probe's largest FC1 unit is not a detector for its cell",
            "ja": "プローブ画像で最大の FC1 ユニットは、そのマス専用の検出器ではない",
        },
        measure={
            "en": "share of test images whose largest FC1 unit is unit {unit}, against the "
            "share of images in cell {label} (what a detector for that cell would top); an even "
            "spread over the {live} units that ever fire gives the chance level",
            "ja": "最大の FC1 ユニットがユニット {unit} であるテスト画像の割合を、マス {label} "
            "の画像の割合(そのマスの検出器なら最大になる割合)と比べる。一度でも発火する "
            "{live} 個のユニットに均等に散らばる場合が偶然の水準",
        },
        holds={
            "en": "Unit {unit} is the largest FC1 unit for {value} of all {n:,} test images "
            "(95% interval {lo} to {hi}), more than the {threshold} of images whose square "
            "is in cell {label}, which is all a detector for that cell would top (an even spread "
            "over the {live} units that ever fire would give {base}). It is the largest for at "
            "least half the images of {cells} of the {classes} cells: a unit that is large for "
            "many images, not the network's detector for cell {label}.",
            "ja": "ユニット {unit} は、テスト画像 {n:,} 枚の {value}(95% 区間 {lo}〜{hi})で"
            "最大になっています。正方形がマス {label} にある画像は {threshold} しかないので、"
            "マス {label} の検出器ならこの割合を超えることはありません(一度でも発火する "
            "{live} 個のユニットに均等に散らばるなら {base})。{classes} マスのうち {cells} "
            "マスでは、そのマスの画像の半分以上でこのユニットが最大です。マス {label} の検出器"
            "ではなく、多くの画像で大きくなるユニットです。",
        },
        fails={
            "en": "Unit {unit} is the largest FC1 unit for {value} of all {n:,} test images "
            "(95% interval {lo} to {hi}), no more than the {threshold} of images whose square is "
            "in cell {label}: it could be a detector for that cell.",
            "ja": "ユニット {unit} が最大になるのは、テスト画像 {n:,} 枚の {value}(95% 区間 "
            "{lo}〜{hi})です。正方形がマス {label} にある画像の割合 {threshold} を超えないので、"
            "マス {label} の検出器である可能性があります。",
        },
        inconclusive={
            "en": "Unit {unit} is the largest FC1 unit for {value} of all {n:,} test images "
            "(95% interval {lo} to {hi}), which cannot be told apart from the {threshold} of "
            "images whose square is in cell {label}: whether it is a detector for that cell is "
            "not settled.",
            "ja": "ユニット {unit} が最大になるのはテスト画像 {n:,} 枚の {value}(95% 区間 "
            "{lo}〜{hi})で、正方形がマス {label} にある画像の割合 {threshold} と区別できません。"
            "マス {label} の検出器かどうかは、この測定では決まりません。",
        },
    ),
    "fc1_units_silenced": Text(
        unit="percent",
        short={
            "en": "training leaves many FC1 units all but silent",
            "ja": "学習すると、多くの FC1 ユニットがほとんど発火しなくなる",
        },
        measure={
            "en": "share of the {units} FC1 units above 0 on fewer than {rarely} of the test "
            "images, trained against initial weights",
            "ja": "{units} 個の FC1 ユニットのうち、0 を超えるのがテスト画像の {rarely} 未満の"
            "ものの割合。学習後と学習前を比べる",
        },
        holds={
            "en": "After training, {value} of the {units} FC1 units fire (are above 0) on fewer "
            "than {rarely} of the {n:,} test images (95% interval {lo} to {hi}), against {base} "
            "with the initial weights; {never} never fire at all. The network answers with the "
            "rest.",
            "ja": "学習後は、{units} 個の FC1 ユニットのうち {value} が、テスト画像 {n:,} 枚の"
            "うち {rarely} 未満の画像でしか発火しません(発火は ReLU の出力が 0 を超えること。"
            "95% 区間 {lo}〜{hi})。学習前の重みでは {base} でした。一度も発火しないユニットは "
            "{never} です。ネットワークは残りのユニットで答えています。",
        },
        fails={
            "en": "After training, {value} of the {units} FC1 units fire on fewer than "
            "{rarely} of the test images (95% interval {lo} to {hi}), fewer than the {base} "
            "with the initial weights.",
            "ja": "学習後にテスト画像の {rarely} 未満でしか発火しない FC1 ユニットは {value}"
            "(95% 区間 {lo}〜{hi})で、学習前の {base} より少なくなっています。",
        },
        inconclusive={
            "en": "After training, {value} of the {units} FC1 units fire on fewer than "
            "{rarely} of the test images (95% interval {lo} to {hi}), not clearly different "
            "from the {base} with the initial weights.",
            "ja": "学習後にテスト画像の {rarely} 未満でしか発火しない FC1 ユニットは {value}"
            "(95% 区間 {lo}〜{hi})で、学習前の {base} とはっきりした差はありません。",
        },
    ),
    "fc1_units_span_cells": Text(
        unit="number",
        short={
            "en": "each live FC1 unit answers for several cells",
            "ja": "生きている FC1 ユニットは、それぞれ複数のマスに反応する",
        },
        measure={
            "en": "per live FC1 unit, the cells whose test images bring its mean output to at "
            "least half its largest cell mean, averaged over the {live} live units; a detector "
            "for one cell: {threshold}",
            "ja": "生きている FC1 ユニットごとに、平均出力がいちばん大きいマスの半分以上になる"
            "マスの数を数え、{live} 個のユニットで平均したもの。一つのマス専用の検出器なら "
            "{threshold}",
        },
        holds={
            "en": "The live units do not take one cell each: on average, a live unit's mean "
            "output reaches half its largest on {value} of the {classes} cells (95% interval "
            "{lo} to {hi}; a one-cell detector would give {threshold}). Each cell is told apart "
            "by a pattern over several units.",
            "ja": "生きているユニットは、マスを一つずつ受け持っているわけではありません。平均出力"
            "が最大値の半分以上になるマスは、{classes} マスのうち平均 {value} マスです(95% 区間 "
            "{lo}〜{hi}。一つのマス専用の検出器なら {threshold})。どのマスかは、一つのユニット"
            "ではなく複数のユニットの組み合わせで表されています。",
        },
        fails={
            "en": "The live units behave like detectors for one cell: on average a unit's mean "
            "output reaches half its largest on {value} of the {classes} cells (95% interval {lo} "
            "to {hi}), not above the {threshold} of a one-cell detector.",
            "ja": "生きているユニットは、一つのマス専用の検出器のように振る舞っています。平均出力"
            "が最大値の半分以上になるマスは平均 {value} マスで(95% 区間 {lo}〜{hi})、"
            "検出器の {threshold} を超えません。",
        },
        inconclusive={
            "en": "Whether the live units answer for more than one cell each is not settled: on "
            "average a unit's mean output reaches half its largest on {value} of the {classes} "
            "cells (95% interval {lo} to {hi}, against {threshold} for a one-cell detector).",
            "ja": "生きているユニットが複数のマスに反応するかどうかは、この測定では決まりません。"
            "平均出力が最大値の半分以上になるマスは平均 {value} マスで、95% 区間({lo}〜{hi})"
            "が一つのマス専用の検出器の {threshold} と重なります。",
        },
    ),
    "conv_channels_silenced": Text(
        unit="percent",
        short={
            "en": "training leaves some conv channels all but silent",
            "ja": "学習すると、ほとんど反応しない畳み込みチャネルができる",
        },
        measure={
            "en": "share of the {channels} Conv1 and Conv2 channels above 0 somewhere on fewer "
            "than {rarely} of the test images, trained against initial weights",
            "ja": "Conv1 と Conv2 の {channels} チャネルのうち、どこかの位置で 0 を超えるのが"
            "テスト画像の {rarely} 未満のものの割合。学習後と学習前を比べる",
        },
        holds={
            "en": "After training, {value} of the {channels} Conv1 and Conv2 channels light up "
            "(are above 0 anywhere) on fewer than {rarely} of the {n:,} test images (95% "
            "interval {lo} to {hi}), against {base} with the initial weights; {dead} of them are "
            "0 everywhere on every one of the images: training switched them off.",
            "ja": "学習後は、Conv1 と Conv2 の {channels} チャネルのうち {value} が、テスト画像 "
            "{n:,} 枚のうち {rarely} 未満の画像でしか反応しません(どこかの位置で 0 を超えること。"
            "95% 区間 {lo}〜{hi})。学習前の重みでは {base} でした。全テスト画像で全位置が 0 の"
            "チャネルは {dead} 個あり、学習の結果、使われなくなったチャネルです。",
        },
        fails={
            "en": "After training, {value} of the {channels} Conv1 and Conv2 channels light up on "
            "fewer than {rarely} of the test images (95% interval {lo} to {hi}), fewer than the "
            "{base} with the initial weights.",
            "ja": "学習後にテスト画像の {rarely} 未満でしか反応しない畳み込みチャネルは {value}"
            "(95% 区間 {lo}〜{hi})で、学習前の {base} より少なくなっています。",
        },
        inconclusive={
            "en": "After training, {value} of the {channels} Conv1 and Conv2 channels light up on "
            "fewer than {rarely} of the test images (95% interval {lo} to {hi}), not clearly "
            "more than the {base} with the initial weights.",
            "ja": "学習後にテスト画像の {rarely} 未満でしか反応しない畳み込みチャネルは {value}"
            "(95% 区間 {lo}〜{hi})で、学習前の {base} とはっきりした差はありません。",
        },
    ),
    "pool1_raises_contrast": pooling_text("MaxPool1", initial=False),
    "pool2_raises_contrast": pooling_text("MaxPool2", initial=False),
    "pool1_raises_contrast_at_init": pooling_text("MaxPool1", initial=True),
    "pool2_raises_contrast_at_init": pooling_text("MaxPool2", initial=True),
    "pool1_beats_average": Text(
        unit="number",
        short={
            "en": "MaxPool1 makes the square stand out more than averaging the same maps",
            "ja": "MaxPool1 は、同じマップを平均するより正方形を際立たせる",
        },
        measure={
            "en": "per test image, MaxPool1's change of the CNR (measured as above) minus that "
            "of a {window} average of the same maps; no effect: 0",
            "ja": "テスト画像ごとに、MaxPool1 による CNR の変化(上と同じ測り方)から、同じ"
            "マップを {window} で平均したときの変化を引いた値。差がなければ 0",
        },
        holds={
            "en": "Against the obvious control, MaxPool1 does better: on the same maps, a {window} "
            "average changes the CNR by {average_cnr} and MaxPool1 by {max_cnr}, {value} more "
            "per image (95% interval {lo} to {hi}, {n:,} test images). Keeping the maximum "
            "removes noise beyond what any {window} downsampling does.",
            "ja": "当然の比較対象として、同じマップを {window} で平均した場合と比べても MaxPool1 "
            "が上回ります。CNR の変化は、平均なら {average_cnr}、MaxPool1 なら {max_cnr} で、"
            "画像ごとの差は {value} です(テスト画像 {n:,} 枚、95% 区間 {lo}〜{hi})。"
            "最大値を残すことには、{window} で縮める以上のノイズ除去の効果があります。",
        },
        fails={
            "en": "Against the obvious control the claim turns around: on the same maps, a "
            "{window} average changes the CNR by {average_cnr}, MaxPool1 only by {max_cnr}, a "
            "difference of {value} per image (95% interval {lo} to {hi}, {n:,} test images). "
            "What removes noise here is averaging; keeping the maximum removes less of it.",
            "ja": "ところが、同じマップを {window} で平均した場合と比べると話は逆になります。CNR "
            "の変化は、平均なら {average_cnr} なのに対し MaxPool1 は {max_cnr} にとどまり、"
            "画像ごとの差は {value} です(テスト画像 {n:,} 枚、95% 区間 {lo}〜{hi})。"
            "ノイズを消しているのは平均を取る操作のほうで、最大値を残すやり方はそこまで"
            "消しません。",
        },
        inconclusive={
            "en": "Against a {window} average of the same maps (CNR changed by {average_cnr}), "
            "MaxPool1 (changed by {max_cnr}) is neither clearly better nor worse: the "
            "difference is {value} per image, with a 95% interval ({lo} to {hi}) that includes "
            "0 ({n:,} test images).",
            "ja": "同じマップを {window} で平均した場合(CNR の変化 {average_cnr})と比べて、"
            "MaxPool1(変化 {max_cnr})がよいとも悪いとも言えません。画像ごとの差は {value} "
            "で、95% 区間({lo}〜{hi})が 0 をまたぎます(テスト画像 {n:,} 枚)。",
        },
    ),
    "conv1_keeps_more_than_random": Text(
        unit="number",
        short={
            "en": "Conv1's kernels keep their initial pattern",
            "ja": "Conv1 のカーネルは最初の模様を保つ",
        },
        measure={
            "en": "per seed, median cosine of each kernel with its start, minus the same "
            "median for random updates of each kernel's own size; no effect: 0",
            "ja": "シードごとに、各カーネルと初期値とのコサインの中央値から、同じ大きさの"
            "ランダムな更新で得られる中央値を引いたもの。効果がなければ 0",
        },
        holds={
            "en": "Over {n} training seeds, the kernels stay closer to their start than random "
            "updates of the same size would: the median cosine is higher by {value} (95% "
            "interval {lo} to {hi}).",
            "ja": "学習シード {n} 個で比べると、カーネルは同じ大きさのランダムな更新よりも"
            "初期値に近いままです。コサインの中央値の差は {value}(95% 区間 {lo}〜{hi})です。",
        },
        fails={
            "en": "Over {n} training seeds, the kernels end further from their start than random "
            "updates of the same size would: the median cosine differs by {value} (95% interval "
            "{lo} to {hi}).",
            "ja": "学習シード {n} 個で比べると、カーネルは同じ大きさのランダムな更新よりも初期値"
            "から離れています。コサインの中央値の差は {value}(95% 区間 {lo}〜{hi})です。",
        },
        inconclusive={
            "en": "Over {n} training seeds, the kernels keep no more of their start than random "
            "updates of the same size would: the median cosine differs by {value} (95% interval "
            "{lo} to {hi}, which includes 0). A high cosine only says how little a kernel moved.",
            "ja": "学習シード {n} 個で比べても、同じ大きさのランダムな更新と比べて初期値に近い"
            "とは言えません。コサインの中央値の差は {value} で、95% 区間({lo}〜{hi})は 0 を"
            "含みます。コサインが高いのは、重みがあまり動かなかったことを示すだけです。",
        },
    ),
    "conv1_moves_toward_box": Text(
        unit="number",
        short={
            "en": "training turns Conv1's kernels toward the box filter",
            "ja": "学習で Conv1 のカーネルはボックスフィルタに近づく",
        },
        measure={
            "en": "per seed, median cosine of the trained kernels with the box filter (all "
            "weights equal), minus the same median after random updates of the same sizes; "
            "no effect: 0",
            "ja": "シードごとに、学習後のカーネルとボックスフィルタ(重みがすべて等しい)"
            "とのコサインの中央値から、同じ大きさのランダム"
            "な更新での中央値を引いたもの。効果がなければ 0",
        },
        holds={
            "en": "What training does change is the direction: over {n} seeds, the kernels end "
            "closer to the box filter, the averaging kernel that responds most to a flat bright "
            "square, than random updates of the same size would, by {value} in median cosine "
            "(95% interval {lo} to {hi}).",
            "ja": "学習が変えているのは向きです。学習シード {n} 個で比べると、カーネルは同じ大きさ"
            "のランダムな更新よりもボックスフィルタ(明るく平らな正方形にいちばん強く反応する、"
            "平均を取るカーネル)に近づいています。コサインの中央値の差は {value}(95% 区間 "
            "{lo}〜{hi})です。",
        },
        fails={
            "en": "Over {n} seeds, the kernels end further from the box filter than random "
            "updates of the same size would: {value} in median cosine (95% interval {lo} to "
            "{hi}).",
            "ja": "学習シード {n} 個で比べると、カーネルは同じ大きさのランダムな更新よりも"
            "ボックスフィルタから離れています。コサインの中央値の差は {value}(95% 区間 "
            "{lo}〜{hi})です。",
        },
        inconclusive={
            "en": "Whether training turns the kernels toward the box filter cannot be told from "
            "{n} seeds: the median cosine differs from random updates of the same size by "
            "{value} (95% interval {lo} to {hi}, which includes 0).",
            "ja": "学習シード {n} 個からは、カーネルがボックスフィルタに近づくかどうか判断でき"
            "ません。同じ大きさのランダムな更新との差は {value} で、95% 区間({lo}〜{hi})は "
            "0 を含みます。",
        },
    ),
}

EXPERIMENT_TEXTS: dict[str, Text] = {
    "cnn_beats_mlp": Text(
        unit="points",
        short={"en": "TinyCNN beats a same-size MLP", "ja": "同じ規模の MLP より TinyCNN が正確"},
        measure={
            "en": "per seed, TinyCNN's final test accuracy minus the MLP's; no effect: 0",
            "ja": "シードごとの最終テスト精度の差(TinyCNN から MLP を引いた値)。効果がなければ 0",
        },
        holds={
            "en": "Seed by seed, TinyCNN ends {value} ahead of the MLP in test accuracy "
            "(mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "シードごとに比べると、TinyCNN のテスト精度は MLP より {value}高くなりました"
            "(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "Seed by seed, TinyCNN ends behind the MLP in test accuracy: {value} (mean over "
            "{n} seeds, 95% interval {lo} to {hi}).",
            "ja": "シードごとに比べると、TinyCNN のテスト精度は MLP を下回りました。差は {value}"
            "(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})です。",
        },
        inconclusive={
            "en": "Seed by seed, TinyCNN and the MLP end level within the noise of training: the "
            "difference is {value} (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "シードごとに比べても、TinyCNN と MLP の差は学習のばらつきの範囲です。差は "
            "{value}(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})です。",
        },
    ),
    "cnn_has_lower_loss": Text(
        unit="number",
        short={"en": "TinyCNN's test loss is lower", "ja": "TinyCNN のテスト損失のほうが小さい"},
        measure={
            "en": "per seed, the MLP's final test loss over TinyCNN's; no effect: 1",
            "ja": "シードごとの最終テスト損失の比(MLP ÷ TinyCNN)。効果がなければ 1",
        },
        holds={
            "en": "The MLP's final test loss is {value} times TinyCNN's (mean over {n} seeds, "
            "95% interval {lo} to {hi}).",
            "ja": "最終テスト損失は MLP が TinyCNN の {value} 倍です(学習シード {n} 個の平均、"
            "95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "The MLP's final test loss is only {value} times TinyCNN's (mean over {n} "
            "seeds, 95% interval {lo} to {hi}): TinyCNN's is the higher one.",
            "ja": "最終テスト損失は MLP が TinyCNN の {value} 倍で(学習シード {n} 個の平均、"
            "95% 区間 {lo}〜{hi})、TinyCNN のほうが大きくなっています。",
        },
        inconclusive={
            "en": "The MLP's final test loss is {value} times TinyCNN's, with a 95% interval "
            "({lo} to {hi}) that includes 1 (mean over {n} seeds).",
            "ja": "最終テスト損失は MLP が TinyCNN の {value} 倍ですが、95% 区間({lo}〜{hi})"
            "が 1 を含みます(学習シード {n} 個の平均)。",
        },
    ),
    "mlp_overfits_more": Text(
        unit="points",
        short={
            "en": "the MLP memorises more than TinyCNN",
            "ja": "MLP は TinyCNN より訓練データを丸暗記しやすい",
        },
        measure={
            "en": "per seed, the MLP's train-minus-test accuracy gap minus TinyCNN's; no effect: 0",
            "ja": "シードごとの「訓練精度からテスト精度を引いた値」を、MLP と TinyCNN で"
            "比べた差。効果がなければ 0",
        },
        holds={
            "en": "The MLP's gap between training and test accuracy is {value} wider than "
            "TinyCNN's (mean over {n} seeds, 95% interval {lo} to {hi}): it fits the training "
            "images better than it generalises.",
            "ja": "訓練精度とテスト精度の開きは、MLP のほうが TinyCNN より {value}大きくなりま"
            "した(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。MLP は訓練画像には合っても、"
            "新しい画像への汎化がそれほど伸びていません。",
        },
        fails={
            "en": "The MLP's gap between training and test accuracy is narrower than TinyCNN's: "
            "{value} (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "訓練精度とテスト精度の開きは、MLP のほうが TinyCNN より小さくなりました。"
            "差は {value}(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})です。",
        },
        inconclusive={
            "en": "The MLP's gap between training and test accuracy differs from TinyCNN's by "
            "{value}, with a 95% interval ({lo} to {hi}) that includes 0 (over {n} seeds).",
            "ja": "訓練精度とテスト精度の開きの差は {value}で、95% 区間({lo}〜{hi})が 0 を"
            "含みます(学習シード {n} 個)。",
        },
    ),
    "accuracy_falls_as_noise_rises": Text(
        unit="number",
        short={"en": "more noise, lower accuracy", "ja": "ノイズが強いほど精度が下がる"},
        measure={
            "en": "per seed, slope of final test accuracy against the noise level; no effect: 0",
            "ja": "シードごとの、ノイズの強さに対する最終テスト精度の傾き。効果がなければ 0",
        },
        holds={
            "en": "Final accuracy falls as the noise rises: a slope of {value} per unit of noise "
            "standard deviation (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "ノイズが強くなるほど最終精度は下がります。ノイズの標準偏差 1 あたりの傾きは "
            "{value} です(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "Final accuracy rises with the noise: a slope of {value} per unit of noise "
            "standard deviation (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "ノイズが強くなるほど最終精度はむしろ上がりました。傾きは {value} です"
            "(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": "Final accuracy shows no clear trend with the noise: a slope of {value} per "
            "unit of noise standard deviation, 95% interval {lo} to {hi} (over {n} seeds).",
            "ja": "最終精度とノイズの強さのあいだに、はっきりした傾向は見えません。傾きは {value}"
            "、95% 区間は {lo}〜{hi} です(学習シード {n} 個)。",
        },
    ),
    "learning_slows_as_noise_rises": Text(
        unit="number",
        short={"en": "more noise, slower learning", "ja": "ノイズが強いほど学習が遅い"},
        measure={
            "en": "per seed, slope of the test accuracy averaged over all evaluation steps (the "
            "area under the curve) against the noise level; no effect: 0",
            "ja": "シードごとの、評価ステップ全体で平均したテスト精度(曲線の下の面積)の、"
            "ノイズの強さに対する傾き。効果がなければ 0",
        },
        holds={
            "en": "Learning is also slower: the accuracy averaged over training falls by {value} "
            "per unit of noise standard deviation (mean over {n} seeds, 95% interval {lo} to "
            "{hi}).",
            "ja": "学習も遅くなります。学習期間全体で平均した精度の傾きは、ノイズの標準偏差 1 "
            "あたり {value} です(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "Learning is not slower with more noise: the accuracy averaged over training "
            "changes by {value} per unit of noise (mean over {n} seeds, 95% interval {lo} to "
            "{hi}).",
            "ja": "ノイズが強くても学習は遅くなっていません。学習期間全体で平均した精度の傾きは "
            "{value} です(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": "Whether learning is slower with more noise cannot be told: the slope of the "
            "accuracy averaged over training is {value}, 95% interval {lo} to {hi} (over {n} "
            "seeds).",
            "ja": "ノイズが強いと学習が遅くなるかどうかは判断できません。学習期間全体で平均した"
            "精度の傾きは {value}、95% 区間は {lo}〜{hi} です(学習シード {n} 個)。",
        },
    ),
    "noisiest_level_reaches_90": Text(
        unit="percent",
        short={
            "en": "even at the highest noise TinyCNN passes {threshold}",
            "ja": "いちばん強いノイズでも TinyCNN は {threshold} を超える",
        },
        measure={
            "en": "final test accuracy at the highest noise level, over seeds",
            "ja": "いちばん強いノイズでの最終テスト精度(シード間の平均)",
        },
        holds={
            "en": "Even at the highest noise level TinyCNN ends at {value} test accuracy (mean "
            "over {n} seeds, 95% interval {lo} to {hi}), above {threshold}.",
            "ja": "いちばん強いノイズでも、TinyCNN の最終テスト精度は {value} で(学習シード {n} "
            "個の平均、95% 区間 {lo}〜{hi})、{threshold} を超えています。",
        },
        fails={
            "en": "At the highest noise level TinyCNN ends at {value} test accuracy (mean over "
            "{n} seeds, 95% interval {lo} to {hi}), below {threshold} within this budget.",
            "ja": "いちばん強いノイズでは、TinyCNN の最終テスト精度は {value} で(学習シード {n} "
            "個の平均、95% 区間 {lo}〜{hi})、この学習量では {threshold} に届きません。",
        },
        inconclusive={
            "en": "At the highest noise level TinyCNN ends at {value} test accuracy, with a 95% "
            "interval ({lo} to {hi}) on both sides of {threshold} (over {n} seeds).",
            "ja": "いちばん強いノイズでの最終テスト精度は {value} で、95% 区間({lo}〜{hi})が "
            "{threshold} をまたいでいます(学習シード {n} 個)。",
        },
    ),
    "box_template_leads": box_template_text(
        "At the article's noise level", "記事のノイズの強さでは"
    ),
    "box_template_leads_at_highest_noise": box_template_text(
        "At the highest noise level", "いちばん強いノイズでは"
    ),
    "softmax_inside_slows_learning": Text(
        unit="points",
        short={
            "en": "Softmax inside the model slows learning down",
            "ja": "モデルの中に Softmax を入れると学習が遅くなる",
        },
        measure={
            "en": "per seed, test accuracy at step {early_step} with raw logits minus with "
            "Softmax inside the model; no effect: 0",
            "ja": "シードごとの、ステップ {early_step} でのテスト精度の差(ロジットのままの"
            "場合から、モデル内に Softmax を入れた場合を引いた値)。差がなければ 0",
        },
        holds={
            "en": "Put Softmax inside the model and keep `CrossEntropyLoss`, and training "
            "crawls: at step {early_step} the test accuracy is {inside_early} against "
            "{correct_early} with raw logits, a lead of {value} for raw logits seed by seed "
            "(mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "モデルの最後に Softmax を入れたまま `CrossEntropyLoss` を使うと、学習が目に"
            "見えて遅くなります。ステップ {early_step} でのテスト精度は {inside_early} で、"
            "ロジットをそのまま渡した場合は {correct_early}、シードごとの差は {value}です"
            "(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "Softmax inside the model did not slow learning down here: at step "
            "{early_step} its test accuracy is {inside_early} against {correct_early} with raw "
            "logits, a difference of {value} (raw logits minus Softmax inside; mean over {n} "
            "seeds, 95% interval {lo} to {hi}).",
            "ja": "ここでは、モデル内に Softmax を入れても学習は遅くなりませんでした。ステップ "
            "{early_step} でのテスト精度は {inside_early} で、ロジットをそのまま渡した場合は "
            "{correct_early}、差は {value}です(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": "Whether Softmax inside the model slows learning cannot be told from {n} "
            "seeds: at step {early_step} its test accuracy is {inside_early} against "
            "{correct_early} with raw logits, a difference of {value} with a 95% interval ({lo} "
            "to {hi}) that includes 0.",
            "ja": "学習シード {n} 個からは、モデル内の Softmax で学習が遅くなるかどうか判断"
            "できません。ステップ {early_step} でのテスト精度は {inside_early}、ロジットを"
            "そのまま渡した場合は {correct_early} で、差 {value}の 95% 区間({lo}〜{hi})は "
            "0 を含みます。",
        },
    ),
    "softmax_inside_shrinks_gradient": Text(
        unit="number",
        short={
            "en": "with Softmax inside, the gradient at the logits shrinks",
            "ja": "Softmax を中に入れると、ロジットでの勾配が小さくなる",
        },
        measure={
            "en": "per seed, the mean norm of each test image's loss gradient at the logits at "
            "step {early_step}, Softmax inside over raw logits; no effect: 1",
            "ja": "シードごとに、ステップ {early_step} でテスト画像ごとの損失の勾配を"
            "ロジットで測ったノルムの平均を、Softmax 入りとロジットのままで比べた比。"
            "効果がなければ 1",
        },
        holds={
            "en": "The reason is the size of the gradient that reaches the network: at step "
            "{early_step} its norm at the logits is {value} times that with raw logits (mean "
            "over the test images and over {n} seeds, 95% interval {lo} to {hi}). At step 0 the "
            "ratio is already {grad_start}: while the logits are about equal, the Jacobian of "
            "the extra softmax scales the gradient by one over the number of cells, "
            "1/{classes}.",
            "ja": "原因は、ネットワークに届く勾配の大きさです。ステップ {early_step} では、"
            "ロジットでの勾配のノルムがロジットのままの場合の {value} 倍しかありません"
            "(テスト画像と学習シード {n} 個での平均、95% 区間 {lo}〜{hi})。ステップ 0 でも"
            "すでに {grad_start} 倍です。ロジットがほぼ等しいうちは、余分な Softmax の"
            "ヤコビ行列が勾配をマスの数分の 1、つまり 1/{classes} に縮めるからです。",
        },
        fails={
            "en": "The gradient at the logits is not smaller with Softmax inside: at step "
            "{early_step} its mean norm is {value} times that with raw logits (mean over {n} "
            "seeds, 95% interval {lo} to {hi}); at step 0 the ratio is {grad_start}.",
            "ja": "Softmax を中に入れても、ロジットでの勾配は小さくなっていません。ステップ "
            "{early_step} でのノルムの平均は、ロジットのままの場合の {value} 倍です(学習"
            "シード {n} 個の平均、95% 区間 {lo}〜{hi})。ステップ 0 での比は {grad_start} です。",
        },
        inconclusive={
            "en": "Whether Softmax inside shrinks the gradient at the logits cannot be told at "
            "step {early_step}: its mean norm is {value} times that with raw logits, with a 95% "
            "interval ({lo} to {hi}) that includes 1 (over {n} seeds); at step 0 the ratio is "
            "{grad_start}.",
            "ja": "ステップ {early_step} では、Softmax 入りで勾配が小さくなるかどうか判断でき"
            "ません。ノルムの平均はロジットのままの場合の {value} 倍で、95% 区間({lo}〜{hi})"
            "が 1 を含みます(学習シード {n} 個)。ステップ 0 での比は {grad_start} です。",
        },
    ),
    "softmax_inside_costs_final_accuracy": Text(
        unit="points",
        short={
            "en": "Softmax inside the model costs final accuracy",
            "ja": "Softmax を中に入れると最終精度が下がる",
        },
        measure={
            "en": "per seed, final test accuracy with raw logits minus with Softmax inside; "
            "no effect: 0",
            "ja": "シードごとの最終テスト精度の差(ロジットのままの場合から Softmax 入りを"
            "引いた値)。差がなければ 0",
        },
        holds={
            "en": "It does not catch up within the budget: after {end_step} steps it ends at "
            "{inside_end} against {correct_end} with raw logits, a lead of {value} for raw "
            "logits (mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "決められた学習量のうちには追いつきません。{end_step} ステップ後の最終テスト"
            "精度は {inside_end} で、ロジットのままの {correct_end} との差は {value}です"
            "(学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        fails={
            "en": "By the end it has overtaken: after {end_step} steps it reaches {inside_end} "
            "against {correct_end} with raw logits, a difference of {value} (raw logits minus "
            "Softmax inside; mean over {n} seeds, 95% interval {lo} to {hi}).",
            "ja": "最後には逆転しています。{end_step} ステップ後の最終テスト精度は "
            "{inside_end} で、ロジットのままの {correct_end} を上回りました(差 {value}、"
            "学習シード {n} 個の平均、95% 区間 {lo}〜{hi})。",
        },
        inconclusive={
            "en": "By the end of the budget the gap has closed as far as {n} seeds can tell: "
            "after {end_step} steps it reaches {inside_end} against {correct_end} with raw "
            "logits, a difference of {value} with a 95% interval ({lo} to {hi}) that includes "
            "0. The pitfall costs time; whether it also costs accuracy, this budget does not "
            "show.",
            "ja": "学習の最後には、学習シード {n} 個で見分けられるほどの差は残りません。"
            "{end_step} ステップ後の最終テスト精度は {inside_end}、ロジットのままなら "
            "{correct_end} で、差 {value}の 95% 区間({lo}〜{hi})は 0 を含みます。この落とし穴"
            "で失うのは時間で、最終精度まで下がるかどうかはこの学習量ではわかりません。",
        },
    ),
    "max_pool_beats_average": pool_lead_text(
        "average", "{window} average pooling", "平均プーリング"
    ),
    "max_pool_beats_stride": pool_lead_text(
        "stride", "stride-2 convolutions", "ストライド 2 の畳み込み"
    ),
}


def fact_extras(facts: dict[str, Any]) -> dict[str, Any]:
    """Numbers some sentences name besides their claim's own."""
    unit = facts["fc1_population"]["probe_unit"]
    silent = facts["fc1_population"]["silent"]
    channels = facts["channel_population"]["dead"]
    against = facts["pooling_population"]["pool1_against_average"]
    window = facts["architecture"]["pool_window"]
    return {
        "unit": unit["unit"],
        "live": unit["live_units"],
        "cells": unit["classes_mostly"],
        "classes": facts["architecture"]["classes"],
        "label": facts["probe"]["label"],
        "units": silent["units"],
        "never": fmt(silent["never"], "percent", "en"),  # the same digits in both languages
        "rarely": f"{silent['rarely']:.0%}",
        "channels": channels["units"],
        "dead": round(channels["never"] * channels["units"]),
        "window": f"{window}{TIMES}{window}",  # the pooling window
        **{
            f"{pool}_cnr": fmt(against[pool]["value"], "number", "en")
            for pool in ("max", "average")
        },
    }


def experiment_extras(experiments: dict[str, Any]) -> dict[str, Any]:
    """Numbers the experiments' variant sentences name besides their claim's own."""
    softmax = experiments["softmax_inside"]
    correct, inside = softmax["correct"], softmax["inside"]
    finals = {run["pool"]: run["final_test"]["mean"] for run in experiments["pooling"]["runs"]}
    return {
        "early_step": correct["early"]["step"],
        "end_step": correct["end"]["step"],
        "correct_early": fmt(correct["early"]["accuracy"]["mean"], "percent", "en"),
        "inside_early": fmt(inside["early"]["accuracy"]["mean"], "percent", "en"),
        "correct_end": fmt(correct["end"]["accuracy"]["mean"], "percent", "en"),
        "inside_end": fmt(inside["end"]["accuracy"]["mean"], "percent", "en"),
        "grad_start": fmt(softmax["paired"]["start"]["grad_ratio"]["mean"], "number", "en"),
        **{f"{pool}_final": fmt(mean, "percent", "en") for pool, mean in finals.items()},
    }


def claim_words(
    claims: dict[str, Claim], texts: dict[str, Text], lang: str, extras: dict[str, Any]
) -> dict[str, Any]:
    """Each claim's sentence by name, and the rows of "How we know" in the order of
    `texts`, the order the page discusses them (claims read back from JSON come sorted
    by name)."""
    unworded = sorted(set(claims) - set(texts))
    if unworded:
        raise KeyError(f"claims without wording in wording.py: {', '.join(unworded)}")
    names = [name for name in texts if name in claims]
    sentences = {name: sentence(texts[name], claims[name], lang, extras) for name in names}
    rows = [row(texts[name], claims[name], lang, extras) for name in names]
    return {"say": sentences, "rows": rows, "header": HEADER[lang]}
