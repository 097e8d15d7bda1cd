"""A workflow in words and as a Mermaid diagram, from the tables the validator uses."""

from __future__ import annotations

from collections.abc import Mapping

from hoso import labels
from hoso.models import KIND_LABELS, STATE_LABELS
from hoso.rules.deadlines import DEADLINES
from hoso.rules.rulesets import RULE_SETS, Override, RuleSet, in_force
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS, Step

STEP_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("admission", "applied"): ("introducers",),
    ("discipline", "proposed"): ("form",),
    ("discipline", "decided"): ("form",),
    ("screening", "flagged"): ("criteria",),
    ("screening", "strike_off_proposed"): ("ground",),
    ("screening", "struck_off"): ("ground",),
    ("screening", "complaint_answered"): ("outcome",),
    ("transfer", "received"): ("confirmation",),
    ("org_discipline", "proposed"): ("form",),
    ("org_discipline", "decided"): ("form",),
}
"""Fields a step needs beyond its document and vote (the kind's rules ask for them);
tests/test_nextsteps.py checks these against what the validator asks of real cases."""

FIELD_WORDS = {
    "document": ("văn bản", "--doc-number"),
    "vote": ("kết quả biểu quyết", "--vote-official, --vote-present, --vote-for"),
    "form": ("hình thức kỷ luật", "--form"),
    "ground": ("căn cứ xóa tên", "--ground"),
    "outcome": ("kết quả giải quyết", "--outcome"),
    "criteria": ("tiêu chí rà soát", "--criterion"),
    "introducers": ("hai người giới thiệu", "--introducer"),
    "late_reason": ("lý do chậm", "--late-reason"),
    "confirmation": ("văn bản xác nhận của nơi đến", "--confirmation"),
}
"""What each field a step needs is called, and the option that gives it."""

OPTION_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "admission": (("--introducer (loại)", "introducer"),),
    "screening": (
        ("--criterion", "criterion"),
        ("--ground", "ground"),
        ("--outcome", "outcome"),
    ),
    "discipline": (
        ("--violation-category", "category"),
        ("--form, --form-votes", "member_form"),
        ("--outcome", "outcome"),
    ),
    "transfer": (("--transfer-type", "transfer_type"), ("--direction", "direction")),
    "exemption": (("--reason", "reason"),),
    "org_discipline": (
        ("--violation-category", "category"),
        ("--form, --form-votes", "org_form"),
        ("--outcome", "outcome"),
    ),
    "ranking": (("members[].level trong tệp", "ranking"),),
}
"""Options of ``hoso new`` and ``hoso transition`` whose values are closed, per kind; the
kinds about a person also take ``--sex`` and ``--standing``, those with votes
``--vote-method``."""
COMMON_VALUES = (("--sex", "sex"), ("--standing", "standing"), ("--vote-method", "method"))
_NOT_FOR = {"org_discipline": {"--sex", "--standing"}, "ranking": {o for o, _ in COMMON_VALUES}}
"""The common options a kind has no use for: an organisation has no sex, a ranking no vote."""


def needs(kind: str, step: Step) -> list[str]:
    """The fields a step must record: its document, its vote, and what the kind's rules ask."""
    fields = ["document"] if step.document else []
    if step.vote in ("pass", "fail"):
        fields.append("vote")
    return fields + list(STEP_FIELDS.get((kind, step.state), ()))


STAFF_WORDS = {"document": "số, ngày văn bản", "vote": "số liệu biểu quyết"}
"""What the staff's guidance calls a field, where ``FIELD_WORDS`` names it for the command."""


def current(overrides: Mapping[str, Override] | None = None) -> RuleSet:
    """The latest rule set, with the values a province set in ``governance/settings.yaml``:
    what the guidance states is what the validator applies."""
    return in_force(RULE_SETS[-1].effective, overrides)


def _needs_text(kind: str, step: Step, with_options: bool, rules: RuleSet) -> str:
    parts = []
    for name in needs(kind, step):
        words, option = FIELD_WORDS[name]
        if not with_options:
            words = STAFF_WORDS.get(name, words)
        if name == "vote":
            vote = _vote_text(step, rules)
            words = f"{words}: {vote}" if vote and not with_options else vote or words
        parts.append(f"{words} ({option})" if with_options else words)
    return "; ".join(parts)


def option_values(kind: str) -> list[str]:
    """Every value each closed option takes for this kind, by its label (what people type; the
    code is accepted too). A field written in the file by hand takes the code, shown after."""
    states = STATE_LABELS.get(kind, {})
    out = ["--to (bước):"] if states else []  # a ranking has no steps
    out += [f"    {text}" for text in states.values()]
    common = [(o, v) for o, v in COMMON_VALUES if o not in _NOT_FOR.get(kind, set())]
    for option, vocabulary in (*OPTION_VALUES.get(kind, ()), *common):
        named = labels.VOCABULARIES[vocabulary]
        out.append(f"{option} ({named.name}):")
        if option.startswith("--"):
            out += [f"    {text}" for text in named.labels.values()]
        else:
            out += [f"    {text} (ghi: {code})" for code, text in named.labels.items()]
    return out


def mermaid(kind: str) -> str:
    workflow = WORKFLOWS[kind]
    lines = ["stateDiagram-v2"]
    for state in workflow.steps:
        lines.append(f"    {state}: {STATE_LABELS[kind][state]}")
    for state in workflow.opening():
        lines.append(f"    [*] --> {state}")
    for step in workflow.steps.values():
        for before in sorted(step.after):
            lines.append(f"    {before} --> {step.state}")
        if step.final:
            lines.append(f"    {step.state} --> [*]")
    return "\n".join(lines) + "\n"


def _vote_text(step: Step, rules: RuleSet) -> str:
    if step.vote == "none" or step.threshold is None:
        return "có ghi kết quả biểu quyết" if step.vote == "pass" else ""
    value = rules[step.threshold]
    how = "bỏ phiếu kín, " if step.secret else ""
    check = "; cần kiểm tra, tỉnh có thể thay" if value.firmness == "check" else ""
    if step.vote == "fail":
        return f"{how}biểu quyết không đạt {value.describe()}"
    return f"{how}biểu quyết đạt {value.describe()} ({value.source}{check})"


def _due_text(kind: str, step: Step, rules: RuleSet) -> str:
    """The step's deadline in words: how long, from which step ("" without one)."""
    deadline = next((d for d in DEADLINES if (d.kind, d.state) == (kind, step.state)), None)
    if deadline is None:
        return ""
    parts = [rules[k].describe() for k in (deadline.months, deadline.workdays) if k]
    start = (
        "ngày chuyển"
        if deadline.start == "move_date"
        else STATE_LABELS[kind].get(deadline.start, deadline.start).lower()
    )
    due = f"{' + '.join(parts)} kể từ: {start}"
    if deadline.official_only:
        due += " (chỉ với chuyển sinh hoạt chính thức)"
    if deadline.central:
        due += f" ({rules[deadline.central].describe()} nếu gửi lên Trung ương)"
    keys = (deadline.months, deadline.workdays, deadline.central)
    if any(rules[k].firmness == "check" for k in keys if k):
        due += "; cần kiểm tra, tỉnh có thể thay"
    return due


def markdown(
    kind: str,
    diagram: str | None = None,
    staff: bool = False,
    overrides: Mapping[str, Override] | None = None,
) -> str:
    """The guidance for one kind: each step, who acts, what it records, and its deadline.
    ``diagram`` is the state diagram as inline HTML; without it the page shows ``<kind>.svg``.
    ``staff``: the site's guidance, in words only (no state code, no command option, no
    Mermaid source)."""
    if kind not in WORKFLOWS:
        return ranking_markdown(staff, overrides)
    workflow = WORKFLOWS[kind]
    labels = STATE_LABELS[kind]
    rules = current(overrides)
    out = [
        f"# {KIND_LABELS[kind]}",
        "",
        f"Hồ sơ bắt đầu bằng: {', '.join(labels[s].lower() for s in workflow.opening())}.",
        "",
        "| Bước (trạng thái) | Ai thực hiện | Phải ghi | Thời hạn | Bước tiếp theo |",
        "|---|---|---|---|---|",
    ]
    for step in workflow.steps.values():
        due = _due_text(kind, step, rules)
        following = "; ".join(labels[s] for s in workflow.next_states(step.state)) or "kết thúc"
        code = "" if staff else f" (`{step.state}`)"
        out.append(
            f"| **{labels[step.state]}**{code} | "
            f"{ACTOR_LABELS[step.actor]}{_CENTRAL if step.central else ''} | "
            f"{_needs_text(kind, step, not staff, rules) or '—'} | "
            f"{due or '—'} | "
            f"{following} |"
        )
    if kind in NOTES:
        out += ["", NOTES[kind]]
    out += ["", "## Việc cần làm ở từng bước", ""]
    out += [f"- **{labels[s.state]}**: {s.guide}" for s in workflow.steps.values()]
    out += [
        "",
        "## Sơ đồ trạng thái",
        "",
        "Ô vàng: bước mở hồ sơ; ô xanh lá viền đậm: bước kết thúc; mũi tên: bước có thể theo "
        "sau; vòng tròn: bước có thể lặp lại. Rê chuột (hoặc chạm) vào một ô để xem tên đầy đủ; "
        "trên điện thoại, kéo ngang để xem hết sơ đồ.",
        "",
        diagram or f"![Sơ đồ trạng thái]({kind}.svg)",
        "",
    ]
    if not staff:
        out += [
            "Mã Mermaid của sơ đồ (`hoso explain " + kind + " --format mermaid`):",
            "",
            "```text",
            mermaid(kind).rstrip(),
            "```",
            "",
        ]
    return "\n".join(out)


_CENTRAL = "; khiếu nại quyết định của cấp tỉnh: Ủy ban Kiểm tra Trung ương hoặc Ban Bí thư"
"""Added to who takes an appeal step: above the province, the central level."""

NOTES = {
    "org_discipline": (
        '!!! note "Cần kiểm tra"\n'
        "    Tài liệu nghiệp vụ chỉ nêu chắc chắn các hình thức kỷ luật tổ chức đảng (khiển "
        "trách, cảnh cáo, giải tán). Thẩm quyền (cấp ủy, ban thường vụ cấp trên; ủy ban kiểm "
        "tra cấp trên chỉ khiển trách, cảnh cáo; giải tán do cấp huyện trở lên), tỷ lệ phiếu "
        "và thời hiệu lấy từ nguồn thứ cấp về QĐ 22-QĐ/TW (28/07/2021): **cần kiểm tra**. "
        "Cán bộ quản trị kho của tỉnh có thể thay tỷ lệ và thời hiệu trong tệp cài đặt của "
        "tỉnh (xem [Các quy định](quy-dinh.md))."
    ),
    "admission": (
        "Người trên 60 tuổi chỉ được xét khi tỉnh ủy đã quyết định (bước “Tỉnh ủy đã quyết "
        "định cho xét kết nạp người trên 60 tuổi”). Ban tổ chức cấp ủy cấp huyện thẩm định "
        "trước khi ban thường vụ cấp huyện quyết định kết nạp. Tư cách, ngày kết nạp (ngày quyết "
        "định) và ngày công nhận chính thức (đủ 12 tháng sau lễ kết nạp) công cụ tự suy ra từ "
        "các bước đã ghi; nếu ghi cả ở phần thông tin người vào Đảng thì phải khớp. "
        "Người giới thiệu: trong độ tuổi thanh "
        "niên (16 đến hết 30 tuổi) có thể là Ban Chấp hành Đoàn cơ sở, ngoài độ tuổi đó là Ban "
        "Chấp hành Công đoàn cơ sở, mỗi tổ chức cùng một đảng viên chính thức; hai đảng viên "
        "chính thức luôn được."
    ),
    "screening": (
        "Đảng viên đang bị xem xét kỷ luật đến mức khai trừ thì phải khai trừ, không xóa tên "
        "hay cho ra khỏi Đảng (công cụ đối chiếu với hồ sơ kỷ luật cùng số thẻ). Khi xóa tên, "
        "cho ra khỏi Đảng, chi bộ thu hồi thẻ đảng viên và ghi bước “Chi bộ đã thu hồi thẻ đảng "
        "viên”."
    ),
    "transfer": (
        "Hạn 60 ngày làm việc tính từ khi chuyển nơi ở, nơi làm việc đến khi đảng viên đề nghị "
        "chuyển sinh hoạt. Khi nơi đến tiếp nhận, ghi văn bản xác nhận của nơi đến."
    ),
}
"""What a workflow table cannot say, per kind, for the guidance page."""


def ranking_markdown(staff: bool = False, overrides: Mapping[str, Override] | None = None) -> str:
    """The guidance for the annual ranking: levels, the cap, what follows from it; ``staff``
    leaves out the codes the record is written with."""
    from hoso.models.ranking import LEVEL_LABELS
    from hoso.rules.rulesets import QD124, QD132

    rules = current(overrides)
    share, months = rules["excellent_share"], rules["screening_after_ranking_months"]
    lines = [
        "# Đánh giá, xếp loại chất lượng đảng viên",
        "",
        f"Từ năm 2018 ({QD132.name}; từ {QD124.effective:%d/%m/%Y} là {QD124.name}, không "
        "nhầm với QĐ 124-QĐ/TW ngày 02/02/2018 về giám sát của Mặt trận), đảng viên và tổ chức "
        "đảng được xếp một trong bốn mức:",
        "",
        *(
            [f"- {label}" for label in LEVEL_LABELS.values()]
            if staff
            else [
                "| Mức | Ghi trong hồ sơ |",
                "|---|---|",
                *[f"| {label} | `{code}` |" for code, label in LEVEL_LABELS.items()],
            ]
        ),
        "",
        "Mỗi tổ chức cơ sở đảng ghi một hồ sơ mỗi năm"
        + ("" if staff else " (`cases/<đơn vị cấp huyện>/ranking/XL-<năm>-xxxxxx.yaml`)")
        + ": quyết định của cấp ủy cơ "
        "sở, mức của từng đảng viên (họ tên, số thẻ, chi bộ) và của từng chi bộ. Đảng viên được "
        "miễn sinh hoạt không xếp loại.",
        "",
        "## Công cụ kiểm tra",
        "",
        f"- Số đảng viên hoàn thành xuất sắc nhiệm vụ không vượt {share.amount} số hoàn thành "
        f"tốt trong từng tổ chức cơ sở đảng ({share.source}; chắc chắn).",
        "- Đảng viên bị kỷ luật trong năm xếp loại không hoàn thành nhiệm vụ (đối chiếu hồ sơ "
        "kỷ luật cùng số thẻ, quyết định trong năm, không bị xóa bỏ khi giải quyết khiếu nại).",
        "- Đảng viên đang được miễn sinh hoạt (đối chiếu hồ sơ miễn sinh hoạt cùng số thẻ: chi "
        "bộ đã đồng ý, chưa kết thúc và chưa hết hạn vào ngày xếp loại, hay vào ngày 31/12 của "
        "năm được xếp loại khi quyết định xếp loại ký sau đó) không có trong danh sách xếp loại.",
        "- Hai năm liền không hoàn thành nhiệm vụ: phải mở hồ sơ rà soát đảng viên đó sau lần "
        f"xếp loại thứ hai, trong {months.describe()} ({months.source}; **cần kiểm tra**, "
        + (
            "tỉnh có thể thay trong tệp cài đặt của tỉnh"
            if staff
            else "tỉnh thay bằng `screening_after_ranking_months` trong `governance/settings.yaml`"
        )
        + "). Công cụ cảnh báo khi chưa có hồ sơ, rồi báo quá hạn khi hết hạn.",
        "",
        "Trang đơn vị và báo cáo định kỳ chỉ ghi số lượng theo từng mức, không ghi tên.",
        "",
    ]
    return "\n".join(lines)


VALUES_HEADING = "GIÁ TRỊ CỦA CÁC TÙY CHỌN (gõ tên, có dấu hay không dấu, hoặc vài chữ trong tên)"


def text(kind: str, overrides: Mapping[str, Override] | None = None) -> str:
    """The same guidance for a terminal, then every value the options take."""
    rules = current(overrides)
    if kind not in WORKFLOWS:  # the ranking: a yearly record, no steps
        page = ranking_markdown(overrides=overrides).replace("# ", "", 1).replace("## ", "")
        page = page.replace("`", "").replace("**", "")
        # The table of levels, as indented lines: label (code).
        lines = page.split("\n")
        rows = [n for n, line in enumerate(lines) if line.startswith("|")]
        from hoso.models.ranking import LEVEL_LABELS

        levels = [f"    {label} ({code})" for code, label in LEVEL_LABELS.items()]
        page = "\n".join(lines[: rows[0]] + levels + lines[rows[-1] + 1 :]) + "\n"
        values = ["GIÁ TRỊ GHI TRONG TỆP", ""]
        return page.replace(page.split("\n", 1)[0], KIND_LABELS[kind].upper(), 1) + "\n".join(
            [*values, *option_values(kind), ""]
        )
    workflow = WORKFLOWS[kind]
    names = STATE_LABELS[kind]
    out = [KIND_LABELS[kind].upper(), ""]
    opening = "; ".join(names[s] for s in workflow.opening())
    out.append(f"Hồ sơ bắt đầu bằng bước: {opening}.")
    for step in workflow.steps.values():
        out.append("")
        out.append(names[step.state])
        out.append(
            f"    ai thực hiện: {ACTOR_LABELS[step.actor]}{_CENTRAL if step.central else ''}"
        )
        needed = _needs_text(kind, step, True, rules)
        if needed:
            out.append(f"    phải ghi: {needed}")
        due = _due_text(kind, step, rules)
        if due:
            out.append(f"    thời hạn: {due}")
        following = workflow.next_states(step.state)
        if following:
            out.append("    tiếp theo:")
            out += [f"      - {names[s]}" for s in following]
        else:
            out.append("    tiếp theo: không còn bước nào (hồ sơ kết thúc)")
        out.append(f"    {step.guide}")
    out += ["", VALUES_HEADING, ""]
    out += option_values(kind)
    out += [
        "",
        "Ngày viết dạng ngày/tháng/năm (20/11/2026) hoặc năm-tháng-ngày (2026-11-20).",
        "'hoso show MÃ_HỒ_SƠ' nêu các bước ghi được bây giờ và tổ chức phải thực hiện.",
    ]
    return "\n".join(out) + "\n"


def svg(kind: str) -> str:
    """The state diagram drawn at build time (``site.diagram``): Vietnamese labels, layers from
    top to bottom, few crossings. No script, nothing fetched."""
    from hoso.site.diagram import draw

    workflow = WORKFLOWS[kind]
    edges = [(before, s.state) for s in workflow.steps.values() for before in sorted(s.after)]
    return draw(
        f"Sơ đồ trạng thái: {KIND_LABELS[kind]}",
        list(workflow.steps),
        edges,
        STATE_LABELS[kind],
        set(workflow.opening()),
        set(workflow.finals()),
    )
