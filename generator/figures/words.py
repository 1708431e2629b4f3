"""Every word drawn into a figure, in each language the article is written in.

Each figure is drawn once per language: X.png for the English page, X-ja.png for the
Japanese one (`Words.suffix`); the data behind it (X.npz) is the same. (Not X.ja.png:
MkDocs' i18n plugin would take that for the Japanese build's copy of X.png.) Strings
with {placeholders} are filled with str.format where they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    lang: str
    suffix: str  # appended to a figure's stem: "" (English) or "-ja"
    # animations
    conv1_title: str
    pool1_title: str
    conv2_title: str
    pool2_title: str
    kernels_title: str
    kernels_panel: str
    change_panel: str
    fc1_title: str  # {units}
    logits_title: str
    probs_title: str
    probe_image: str
    cell: str  # {cell}
    value: str
    status: str  # {step} {total} {epoch}
    probe_status: str  # {label} {pred} {p} {loss}
    standout: str  # {unit}
    true_cell: str
    # charts
    label: str  # over the cell numbers of the sample sheets
    with_noise: str
    pixel_value: str
    without_noise: str
    training_batch: str
    test_set: str
    loss_log: str
    accuracy: str
    step_ticks: str
    predicted_cell: str
    final_model: str  # {count}
    # the population charts
    class_map_title: str  # {count}
    fc1_unit: str
    dead_units: str  # {count}
    unit: str  # {unit}
    templates_title: str  # {channels} {side}
    templates_scale: str
    silent_suptitle: str  # {count}
    percent_images: str
    silent_title: str  # {layer} {count} {dead}
    channel: str
    # the experiments page's charts
    model_runs: str  # {label} {parameters} {seeds}
    step: str
    test_acc_band: str
    test_loss_mean: str
    noise_level: str  # {noise}
    never_bar: str  # {bar}; after noise_level when no seed reaches the accuracy bar
    test_acc_mean: str
    noise_std: str
    final_acc: str
    cnn_interval: str  # {seeds}
    box_template: str  # {square}


EN = Words(
    lang="en",
    suffix="",
    conv1_title="Conv1 output for the probe, before ReLU",
    pool1_title="MaxPool1 output (after ReLU)",
    conv2_title="Conv2 output for the probe, before ReLU",
    pool2_title="MaxPool2 output (after ReLU)",
    kernels_title="Conv1 kernels (3x3) over training",
    kernels_panel="kernels W (one shared scale)",
    change_panel="change since step 0, W \u2212 W\u2080",
    fc1_title="FC1 output after ReLU ({units} units)",
    logits_title="Logits before softmax: red > 0, blue < 0",
    probs_title="Softmax probabilities",
    probe_image="probe image",
    cell="cell {cell}",
    value="value",
    status="step {step} of {total} \u00b7 epoch {epoch:.2f}",
    probe_status=(
        "probe: true cell {label} \u00b7 predicted {pred} (p = {p:.2f}) \u00b7 loss {loss:.3f}"
    ),
    standout="unit {unit}: largest at the end",
    true_cell="true cell",
    label="label",
    with_noise="with noise",
    pixel_value="pixel value",
    without_noise="without noise",
    training_batch="training batch",
    test_set="test set",
    loss_log="cross-entropy loss (log scale)",
    accuracy="accuracy",
    step_ticks="training step (ticks: snapshots)",
    predicted_cell="predicted cell",
    final_model="final model, {count} test images",
    class_map_title="FC1's mean output per true cell ({count:,} test images)",
    fc1_unit="FC1 unit",
    dead_units="{count} dead units: 0 on every test image",
    unit="unit {unit}",
    templates_title="FC1 weights summed over the {channels} channels, {side}\u00d7{side} grid",
    templates_scale="weight (red: a response there raises the unit)",
    silent_suptitle="Channels 0 everywhere after ReLU, over {count:,} test images",
    percent_images="% of images",
    silent_title="{layer}: {count} channels, {dead} dead (100%)",
    channel="channel",
    model_runs="{label} ({parameters:,} parameters, {seeds} seeds)",
    step="step",
    test_acc_band="test accuracy (mean; band: min to max over seeds)",
    test_loss_mean="test loss (mean over seeds, log scale)",
    noise_level="noise {noise:g}",
    never_bar=": never {bar:.0%}",
    test_acc_mean="test accuracy (mean over seeds)",
    noise_std="noise (std)",
    final_acc="final test accuracy",
    cnn_interval="TinyCNN (mean, 95% interval over {seeds} seeds)",
    box_template="{square}\u00d7{square} box template (no training)",
)

JA = Words(
    lang="ja",
    suffix="-ja",
    conv1_title="Conv1 の出力(プローブ画像、ReLU 前)",
    pool1_title="MaxPool1 の出力(ReLU 後)",
    conv2_title="Conv2 の出力(プローブ画像、ReLU 前)",
    pool2_title="MaxPool2 の出力(ReLU 後)",
    kernels_title="学習中の Conv1 カーネル(3\u00d73)",
    kernels_panel="カーネル W(全カーネル共通の色の目盛り)",
    change_panel="ステップ 0 からの変化 W \u2212 W\u2080",
    fc1_title="FC1 の出力(ReLU 後、{units} ユニット)",
    logits_title="ロジット(Softmax 前): 赤は正、青は負",
    probs_title="Softmax の確率",
    probe_image="プローブ画像",
    cell="マス {cell}",
    value="値",
    status="ステップ {step} / {total} \u00b7 エポック {epoch:.2f}",
    probe_status=(
        "プローブ: 正解 マス {label} \u00b7 予測 {pred}(確率 {p:.2f})\u00b7 損失 {loss:.3f}"
    ),
    standout="ユニット {unit}: 最後に最大",
    true_cell="正解のマス",
    label="ラベル",
    with_noise="ノイズあり",
    pixel_value="画素値",
    without_noise="ノイズなし",
    training_batch="訓練バッチ",
    test_set="テストデータ",
    loss_log="交差エントロピー損失(対数目盛り)",
    accuracy="精度",
    step_ticks="学習ステップ(下の目盛り: スナップショット)",
    predicted_cell="予測したマス",
    final_model="最終モデル、テスト画像 {count} 枚",
    class_map_title="正解のマスごとの FC1 の平均出力(テスト画像 {count:,} 枚)",
    fc1_unit="FC1 のユニット",
    dead_units="死んだユニット {count} 個: どの画像でも 0",
    unit="ユニット {unit}",
    templates_title="FC1 の重みを {channels} チャネルで合計({side}\u00d7{side} の格子)",
    templates_scale="重み(赤: そこでの反応がユニットを押し上げる)",
    silent_suptitle="ReLU 後に全位置 0 になる画像の割合(テスト画像 {count:,} 枚)",
    percent_images="画像の %",
    silent_title="{layer}: {count} チャネル、死んだチャネル {dead} 個(100%)",
    channel="チャネル",
    model_runs="{label}(パラメータ {parameters:,} 個、シード {seeds} 個)",
    step="ステップ",
    test_acc_band="テスト正解率(平均。帯はシード間の最小〜最大)",
    test_loss_mean="テスト損失(シードの平均、対数目盛り)",
    noise_level="ノイズ {noise:g}",
    never_bar=": {bar:.0%} に届かない",
    test_acc_mean="テスト正解率(シードの平均)",
    noise_std="ノイズの標準偏差",
    final_acc="最終テスト正解率",
    cnn_interval="TinyCNN(平均とシード {seeds} 個の 95% 区間)",
    box_template="{square}\u00d7{square} のボックスフィルタ(学習なし)",
)

LANGUAGES = (EN, JA)
