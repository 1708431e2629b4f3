"""The article's passages whose shape follows the run: lists and verdict splits.

Which channels went silent, and how the seed study's claims split, are lists that any run
may leave empty or fill; how a list reads (its separators, "this channel" against "these
channels", a sentence that vanishes when its list is empty) is decided here in Python,
so the templates print one value where a run's lists go. Each passage exists in both
languages and says the same thing with the same numbers in each.
"""

from __future__ import annotations

from typing import Any

Context = dict[str, Any]


def number(value: float, digits: int = 2) -> str:
    """A value as the pages print it (the templates' `number` filter)."""
    return f"{value:,.{digits}f}"


def percent(value: float, digits: int = 1) -> str:
    """A share as the pages print it (the templates' `percent` filter)."""
    return f"{value * 100:.{digits}f}%"


def channel_list(channels: list[int], language: str) -> str:
    return ("、" if language == "ja" else ", ").join(str(channel) for channel in channels)


# --- silent channels (the MaxPool1 and MaxPool2 sections) ---

SILENT = {
    "ja": {
        "conv1_probe": (
            "学習の終わりには、プローブ画像のチャネル {channels} のマップが真っ黒になっています。"
            "Conv1 の応答がすべての位置で負なので、ReLU でマップ全体が 0 になり、"
            "プーリングで残す値もありません。この画像に対しては、"
            "{these}チャネルは次の層に何も渡していないことになります。"
        ),
        "conv1_shares": (
            "テスト画像 {images} 枚で数えると、全位置が 0 になる画像の割合は{shares} です。"
            "プローブ画像で真っ黒ではなくても暗いマップは、これらのチャネルのものかもしれません。"
            "全チャネルの値は[まとめのグラフ](#closing)にあります。"
        ),
        "conv1_share": "チャネル {channel} が {share}",
        "dead_mark": "(死んだチャネル)",
        "conv2_probe": "学習の終わりには、プローブ画像のチャネル {channels} のマップが真っ黒です。",
        "conv2_dead": (
            "テスト画像 {images} 枚のどれでも全位置が 0 になるのは、Conv2 の {count} "
            "チャネルのうち {dead} チャネル({channels})です。どんな画像が来ても FC1 "
            "に何も渡さない、死んだチャネルです。"
        ),
        "conv2_partly": "{lead}{shares} の画像で全位置 0 になります。",
        "conv2_partly_lead": ("Conv2 では、", "ほかに、"),
        "conv2_share": "チャネル {channel} は {share}",
        "separator": "、",
        "list_end": "",
        "between_sentences": "",
    },
    "en": {
        "conv1_probe": (
            "At the end of training, the probe's {maps} {channels}\n"
            "{are} black: Conv1's response there is\n"
            "negative at every position, so ReLU sets the whole map to 0 and pooling has nothing "
            "to keep.\n"
            "For this image, {these} nothing on."
        ),
        "conv1_shares": (
            "Over the {images} test images, these Conv1 channels are 0 at every\n"
            "position on a share of them:{shares}\n"
            "A map that is dark but not black for the probe may belong to one of them.\n"
            "[The closing chart](#closing) has every channel."
        ),
        "conv1_share": " channel {channel} on {share}",
        "dead_mark": " (a dead channel)",
        "conv2_probe": "At the end of training, the probe's {maps} {channels}\n{are} black here.",
        "conv2_dead": (
            "Over all {images} test images, {dead} of the\n"
            "{count} Conv2 channels ({channels}) {are} 0 at every\n"
            "position on every one: {dead_channels}, which {pass_} nothing on to FC1 whatever "
            "the image."
        ),
        "conv2_partly": "{lead}\n0 everywhere on part of the test images:{shares}",
        "conv2_partly_lead": (
            "Some Conv2 channels are",
            "Others are",
        ),
        "conv2_share": " channel {channel} on {share}",
        "separator": ",",
        "list_end": ".",
        "between_sentences": "\n",  # a line break: the same Markdown paragraph
    },
}


# The words that agree with how many channels a sentence names: one, or several.
NUMBER = {
    "ja": {False: {"these": "この"}, True: {"these": "これらの"}},
    "en": {
        False: {
            "maps": "map for channel",
            "are": "is",
            "these": "the channel passes",
            "dead_channels": "a dead channel",
            "pass_": "passes",
        },
        True: {
            "maps": "maps for channels",
            "are": "are",
            "these": "these channels pass",
            "dead_channels": "dead channels",
            "pass_": "pass",
        },
    },
}


def named(channels: list[int], language: str) -> Context:
    """The channels as a sentence lists them, with the words that agree with their number."""
    return {"channels": channel_list(channels, language), **NUMBER[language][len(channels) > 1]}


def shares(channels: list[Context], pattern: str, words: Context) -> str:
    """Each channel with the share of test images it is silent on, a dead one (silent on
    all) marked. The English list ends its sentence; the Japanese one runs on into it."""
    items = [
        pattern.format(channel=ch["channel"], share=percent(ch["share"]))
        + (words["dead_mark"] if ch["share"] >= 1 else "")
        for ch in channels
    ]
    return words["separator"].join(items) + words["list_end"]


def silent_channels(quiet: Context, test_images: int, language: str) -> dict[str, str]:
    """Per conv layer, what the text says under its pooled maps: the probe's black maps,
    then the test images' silent shares (Conv1) or dead and partly silent channels (Conv2).
    `quiet` is article.silent_channels' summary."""
    words = SILENT[language]
    images = number(test_images, 0)
    conv1, conv2 = quiet["conv1"], quiet["conv2"]
    said: dict[str, list[str]] = {"conv1": [], "conv2": []}
    if conv1["probe"]:
        said["conv1"].append(words["conv1_probe"].format(**named(conv1["probe"], language)))
    if conv1["silent"]:
        listed = shares(conv1["silent"], words["conv1_share"], words)
        said["conv1"].append(words["conv1_shares"].format(images=images, shares=listed))
    if conv2["probe"]:
        said["conv2"].append(words["conv2_probe"].format(**named(conv2["probe"], language)))
    if conv2["dead"]:
        said["conv2"].append(
            words["conv2_dead"].format(
                images=images,
                count=conv2["count"],
                dead=len(conv2["dead"]),
                **named(conv2["dead"], language),
            )
        )
    if conv2["partly"]:
        listed = shares(conv2["partly"], words["conv2_share"], words)
        lead = words["conv2_partly_lead"][bool(conv2["dead"])]
        said["conv2"].append(words["conv2_partly"].format(lead=lead, shares=listed))
    return {layer: words["between_sentences"].join(parts) for layer, parts in said.items()}


# --- the seed study ("One run, or every run?") ---

SEEDS = {
    "ja": {
        "same_everywhere": (
            "**ここまでの観察は、この一回の学習だけの話ではありません。学習のシードを変えた {n} "
            "回の学習すべてで、各主張の成否が一致しました。**"
        ),
        "all_depend": (
            "**ここまでの観察は、どれもシードによって成否が変わります。"
            "この記事の学習に固有の結果として読んでください。**"
        ),
        "split": (
            "**シードを変えて {n} 回学習し直すと、どのシードでも同じ結果になる観察と、"
            "この学習に固有の観察に分かれました。**"
        ),
        "general": (
            "{claims}は {n} 回すべてで成り立ちました。この設定で学習すれば、"
            "まず再現すると考えてよさそうです。"
        ),
        "never": (
            "{claims}は {n} 回のどれでも成り立ちませんでした。"
            "本文で述べた「成り立たない」という結果のほうが、シードによらず再現します。"
        ),
        "mixed": (
            "{claims}は、シードによって成否が分かれました。本文の対応する記述は、"
            "この学習についての結果です。"
        ),
        "claim": "「{label}」",
        "claim_count": "「{label}」({holds_in} / {n})",
        "claim_separator": "、",
        "unit_same": "FC1 で最後に最大になるユニットは、どのシードでも {unit} 番でした。",
        "unit_differs": (
            "FC1 で最後に最大になるユニットは、シードごとに {units} 番と{all}異なりました。"
            "変えたのは学習のシードだけなので、"
            "どのユニットが選ばれるかは初期の重みとミニバッチの順番で決まっていることになります。"
            "本文の {this_unit} 番という番号に意味はありません。"
        ),
        "all_different": "すべて",
        "lead_steps": "正解のロジットが首位に立ったのは、ステップ {first} から {last} の間でした。",
    },
    "en": {
        "same_everywhere": (
            "**None of the observations above is a fluke of one run: across {n} training seeds,\n"
            "every claim came out the same way.**"
        ),
        "all_depend": (
            "**Every observation above changes with the seed: read them as facts about this run "
            "only.**"
        ),
        "split": (
            "**Retrained with {n} seeds, the observations split in two: some come out the same "
            "in\n"
            "every run, others belong to this run alone.**"
        ),
        "general": "Held in all {n} runs: {claims}. These are safe to expect\nfrom this setup.\n",
        "never": (
            "Failed in all {n} runs: {claims}. Here it is the negative\n"
            "result stated above that generalises.\n"
        ),
        "mixed": (
            "Depends on the seed: {claims}.\n"
            "What the article says about these is true of this run, not of the network in "
            "general.\n"
        ),
        "claim": "{label}",
        "claim_count": "{label} ({holds_in} of {n})",
        "claim_separator": "; ",
        "unit_same": (
            "The same FC1 unit, number {unit}, ends up largest for the probe in every run."
        ),
        "unit_differs": (
            "Which FC1 unit ends up largest for the probe changes with the seed:\n"
            "units {units}{all}. Only the\n"
            "seed changed, so the initial weights and the batch order pick the unit; unit "
            "{this_unit}\n"
            "in this article means nothing beyond this run."
        ),
        "all_different": ", all different",
        "lead_steps": " The true logit took the lead between step {first}\nand step {last}.",
    },
}


def seed_study(
    seeds: Context,
    split: dict[str, list[str]],
    labels: dict[str, str],
    this_unit: int,
    language: str,
) -> dict[str, str]:
    """The seed study's headline, which claims held in every run, in none and in some,
    and whether the probe's FC1 unit and the step its true logit took the lead carry over.
    `split` is study.seeds.verdict_split's; `labels` name the claims."""
    words = SEEDS[language]
    n = len(seeds["seeds"])
    if not split["mixed"]:
        headline = words["same_everywhere"]
    elif not split["general"] and not split["never"]:
        headline = words["all_depend"]
    else:
        headline = words["split"]

    def listed(names: list[str], pattern: str) -> str:
        return words["claim_separator"].join(
            pattern.format(label=labels[name], holds_in=seeds["claims"][name]["holds_in"], n=n)
            for name in names
        )

    verdicts = "".join(
        words[verdict].format(n=n, claims=listed(split[verdict], words[pattern]))
        for verdict, pattern in (("general", "claim"), ("never", "claim"), ("mixed", "claim_count"))
        if split[verdict]
    )
    unit = seeds["metrics"]["fc1_standout_unit"]
    if unit["same_in_every_run"]:
        carried = words["unit_same"].format(unit=unit["most_common"])
    else:
        carried = words["unit_differs"].format(
            units=channel_list(unit["values"], language),
            all=words["all_different"] if unit["distinct"] == n else "",
            this_unit=this_unit,
        )
    lead = seeds["metrics"]["logit_lead_step"]
    if lead["missing"] == 0:
        carried += words["lead_steps"].format(
            first=number(lead["min"], 0), last=number(lead["max"], 0)
        )
    return {"headline": headline.format(n=n), "verdicts": verdicts, "carried": carried}
