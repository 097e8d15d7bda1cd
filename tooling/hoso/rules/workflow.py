"""Each case kind as a state machine: its steps, what each records, and who may take it.

The validator, ``hoso transition``, ``hoso explain`` and the site's guidance all read these
tables, so the rules a user is told are the rules the tooling enforces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Actor = Literal[
    "cell",
    "cell_meeting",
    "partial",
    "grassroots",
    "admission_decider",
    "district_office",
    "letter_issuer",
    "district_organisation",
    "province_committee",
    "propaganda",
    "higher",
    "appeal_higher",
    "discipline_any",
    "discipline_competent",
    "org_higher",
    "org_self",
    "org_competent",
]
"""Who may take a step, resolved to concrete bodies from the case and the unit tree
(see ``competence.bodies``)."""

ACTOR_LABELS: dict[str, str] = {
    "cell": "chi bộ hoặc chi ủy",
    "cell_meeting": "chi bộ (họp toàn thể)",
    "partial": "đảng ủy bộ phận",
    "grassroots": "đảng ủy cơ sở (hoặc chi bộ cơ sở)",
    "admission_decider": "ban thường vụ cấp ủy cấp huyện, hoặc đảng ủy cơ sở được ủy quyền kết nạp",
    "district_office": "ban tổ chức hoặc ban thường vụ cấp ủy cấp huyện",
    "letter_issuer": "ban tổ chức hoặc ban thường vụ cấp ủy cấp huyện nơi đảng viên sinh hoạt",
    "district_organisation": "ban tổ chức cấp ủy cấp huyện",
    "province_committee": "ban thường vụ (hoặc ban chấp hành) tỉnh ủy",
    "propaganda": "ban tuyên giáo (trung tâm chính trị) cấp huyện hoặc tỉnh",
    "higher": "cấp ủy, ban thường vụ, ủy ban kiểm tra hoặc ban tổ chức cấp huyện, cấp tỉnh",
    "appeal_higher": "cấp ủy, ban thường vụ hoặc ủy ban kiểm tra cấp huyện, cấp tỉnh, trên cấp "
    "đã quyết định kỷ luật",
    "discipline_any": "tổ chức đảng có thẩm quyền quản lý đảng viên",
    "discipline_competent": "tổ chức có thẩm quyền thi hành hình thức kỷ luật đó "
    "(Điều lệ, điều 36)",
    "org_higher": "cấp ủy, ban thường vụ hoặc ủy ban kiểm tra cấp trên của tổ chức đảng vi phạm",
    "org_self": "tổ chức đảng vi phạm (hoặc cấp ủy của tổ chức đó)",
    "org_competent": "cấp ủy, ban thường vụ cấp trên (giải tán: cấp huyện trở lên) hoặc ủy "
    "ban kiểm tra cấp trên (chỉ khiển trách, cảnh cáo)",
}

VoteRule = Literal["none", "optional", "pass", "fail"]


@dataclass(frozen=True)
class Step:
    """One step of a workflow: reaching ``state``."""

    state: str
    after: frozenset[str]
    """States this step may follow; empty for a step that opens a case."""
    actor: Actor
    guide: str
    """What staff do at this step, in Vietnamese, for ``hoso explain`` and the guidance."""
    vote: VoteRule = "none"
    threshold: str | None = None
    """The rule value the vote must reach (``pass``) or miss (``fail``)."""
    secret: bool = False
    """The vote must be a secret ballot."""
    document: bool = False
    """The step must cite a document (resolution, decision, letter)."""
    final: bool = False
    """No further step is expected of the organisation (a member may still complain)."""
    central: bool = False
    """A body above the province (``governance.CENTRAL_BODIES``) may take it too: an appeal
    or complaint against the province's own decision goes to the central level."""


@dataclass(frozen=True)
class Workflow:
    kind: str
    steps: dict[str, Step]

    def opening(self) -> list[str]:
        return [s.state for s in self.steps.values() if not s.after]

    def next_states(self, state: str) -> list[str]:
        return [s.state for s in self.steps.values() if state in s.after]

    def finals(self) -> list[str]:
        return [s.state for s in self.steps.values() if s.final]


def _workflow(kind: str, *steps: Step) -> Workflow:
    return Workflow(kind, {step.state: step for step in steps})


def _after(*states: str) -> frozenset[str]:
    return frozenset(states)


ADMISSION = _workflow(
    "admission",
    Step(
        "sympathiser",
        _after(),
        "cell",
        "Chi bộ đưa quần chúng vào danh sách cảm tình và phân công đảng viên chính thức giúp đỡ.",
    ),
    Step(
        "course_completed",
        _after("sympathiser"),
        "propaganda",
        "Quần chúng học lớp bồi dưỡng "
        "nhận thức về Đảng, qua kiểm tra cuối khóa và được cấp giấy chứng nhận.",
        document=True,
    ),
    Step(
        "applied",
        _after("course_completed"),
        "cell",
        "Quần chúng nộp đơn (1-KNĐ), lý lịch "
        "(2-KNĐ); hai đảng viên chính thức giới thiệu (3-KNĐ), hoặc đại diện Đoàn/Công đoàn và "
        "một đảng viên (4-KNĐ). Đảng viên giới thiệu phải cùng công tác với người vào Đảng ít "
        "nhất 12 tháng; với đơn nộp từ 30/07/2021 (QĐ 24-QĐ/TW), cùng cư trú 12 tháng cũng được.",
    ),
    Step(
        "verified",
        _after("applied"),
        "cell",
        "Chi ủy thẩm tra lý lịch, lấy ý kiến đoàn thể và chi ủy nơi cư trú (5-KNĐ).",
    ),
    Step(
        "over_age_approved",
        _after("verified", "cell_vote_failed"),
        "province_committee",
        "Người vào Đảng trên 60 tuổi: tỉnh ủy (ban thường vụ) xem xét, quyết định bằng văn bản "
        "trước khi chi bộ xét kết nạp.",
        document=True,
    ),
    Step(
        "cell_voted",
        _after("verified", "cell_vote_failed", "over_age_approved"),
        "cell_meeting",
        "Chi bộ họp, "
        "biểu quyết đề nghị kết nạp; cần ít nhất 2/3 đảng viên chính thức tán thành (6-KNĐ).",
        vote="pass",
        threshold="cell_vote",
        document=True,
    ),
    Step(
        "cell_vote_failed",
        _after("verified", "cell_vote_failed", "over_age_approved"),
        "cell_meeting",
        "Chi bộ biểu quyết nhưng không đạt 2/3; sau ba lần không đạt thì chuyển cấp ủy cấp trên.",
        vote="fail",
        threshold="cell_vote",
    ),
    Step(
        "referred_up",
        _after("cell_vote_failed"),
        "higher",
        "Sau ba lần chi bộ biểu quyết không đạt, cấp ủy cấp trên xem xét, quyết định.",
        document=False,
    ),
    Step(
        "partial_appraised",
        _after("cell_voted"),
        "partial",
        "Đảng ủy bộ phận thẩm định, báo cáo đảng ủy cơ sở (7-KNĐ).",
        document=True,
    ),
    Step(
        "grassroots_voted",
        _after("cell_voted", "partial_appraised"),
        "grassroots",
        "Đảng ủy "
        "cơ sở xét, ra nghị quyết đề nghị kết nạp; cần ít nhất 2/3 cấp ủy viên tán thành "
        "(8-KNĐ).",
        vote="pass",
        threshold="committee_vote",
        document=True,
    ),
    Step(
        "district_appraised",
        _after("cell_voted", "grassroots_voted"),
        "district_organisation",
        "Ban tổ chức cấp ủy cấp huyện thẩm định hồ sơ, báo cáo ban thường vụ trước khi ban "
        "thường vụ xét, quyết định kết nạp.",
        document=True,
    ),
    Step(
        "decided",
        _after(
            "cell_voted",
            "partial_appraised",
            "grassroots_voted",
            "district_appraised",
            "referred_up",
        ),
        "admission_decider",
        "Ban thường vụ cấp ủy cấp huyện (hoặc đảng ủy cơ sở được ủy quyền) xét, ra quyết định "
        "kết nạp (9-KNĐ); chậm nhất 60 ngày làm việc sau nghị quyết của chi bộ.",
        vote="pass",
        threshold="committee_vote",
        document=True,
    ),
    Step(
        "not_admitted",
        _after(
            "cell_voted",
            "partial_appraised",
            "grassroots_voted",
            "district_appraised",
            "referred_up",
        ),
        "admission_decider",
        "Cấp có thẩm quyền quyết định không kết nạp và thông báo lý do.",
        vote="optional",
        document=True,
        final=True,
    ),
    Step(
        "ceremony_held",
        _after("decided"),
        "cell",
        "Chi bộ tổ chức lễ kết nạp trong 30 ngày "
        "làm việc kể từ khi nhận quyết định; thời gian dự bị 12 tháng bắt đầu.",
    ),
    Step(
        "recognition_cell_voted",
        _after("ceremony_held"),
        "cell_meeting",
        "Hết 12 tháng dự bị, "
        "đảng viên tự kiểm điểm (10-KNĐ); chi bộ xét, biểu quyết đề nghị công nhận chính thức "
        "trong 30 ngày làm việc (13-KNĐ).",
        vote="pass",
        threshold="cell_vote",
        document=True,
    ),
    Step(
        "recognition_grassroots_voted",
        _after("recognition_cell_voted"),
        "grassroots",
        "Đảng ủy cơ sở xét, đề nghị công nhận chính thức (15-KNĐ).",
        vote="pass",
        threshold="committee_vote",
        document=True,
    ),
    Step(
        "recognised",
        _after("recognition_cell_voted", "recognition_grassroots_voted"),
        "admission_decider",
        "Cấp có thẩm quyền ra quyết định công nhận đảng viên chính thức "
        "trong 30 ngày làm việc sau nghị quyết của chi bộ.",
        vote="pass",
        threshold="committee_vote",
        document=True,
        final=True,
    ),
    Step(
        "struck_from_probation",
        _after("ceremony_held", "recognition_cell_voted", "recognition_grassroots_voted"),
        "admission_decider",
        "Đảng viên dự bị không đủ tư cách: cấp có thẩm quyền quyết định xóa tên khỏi danh sách "
        "đảng viên dự bị (không phải khai trừ).",
        vote="optional",
        document=True,
        final=True,
    ),
    Step(
        "withdrawn",
        _after("sympathiser", "course_completed", "applied", "verified", "cell_vote_failed"),
        "cell",
        "Dừng xem xét: người vào Đảng rút đơn hoặc không đủ điều kiện.",
        final=True,
    ),
)

SCREENING = _workflow(
    "screening",
    Step(
        "flagged",
        _after(),
        "cell",
        "Chi ủy rà soát đảng viên theo các tiêu chí, lấy ý kiến "
        "Ban công tác Mặt trận nơi cư trú hoặc nơi làm việc, lập danh sách dự kiến.",
    ),
    Step(
        "listed",
        _after("flagged"),
        "cell_meeting",
        "Chi bộ bỏ phiếu kín từng trường hợp; "
        "đủ 2/3 đảng viên chính thức (không tính người được miễn sinh hoạt) thì đưa vào danh "
        "sách giáo dục, giúp đỡ.",
        vote="pass",
        threshold="screening_vote",
        secret=True,
        document=True,
    ),
    Step(
        "not_listed",
        _after("flagged"),
        "cell_meeting",
        "Phiếu không đạt 2/3: không đưa vào danh sách.",
        vote="fail",
        threshold="screening_vote",
        secret=True,
        final=True,
    ),
    Step(
        "cleared",
        _after("listed"),
        "cell_meeting",
        "Đảng viên tiến bộ: chi bộ đưa ra khỏi danh sách giáo dục, giúp đỡ.",
        document=True,
        final=True,
    ),
    Step(
        "strike_off_proposed",
        _after("flagged", "listed"),
        "cell_meeting",
        "Chi bộ đề nghị xóa tên, ghi rõ căn cứ: ngay sau rà soát với các căn cứ bỏ sinh hoạt, "
        "không đóng đảng phí, trả thẻ, vi phạm tư cách hai năm liền, không đủ tiêu chuẩn chính "
        "trị; căn cứ không tiến bộ chỉ sau 12 tháng giáo dục, giúp đỡ.",
        vote="pass",
        threshold="cell_vote",
        secret=True,
        document=True,
    ),
    Step(
        "struck_off",
        _after("strike_off_proposed"),
        "admission_decider",
        "Cấp có thẩm quyền kết nạp quyết định xóa tên; chi bộ thu lại thẻ đảng.",
        vote="pass",
        threshold="committee_vote",
        document=True,
        final=True,
    ),
    Step(
        "complaint_lodged",
        _after("struck_off", "card_collected"),
        "higher",
        "Đảng viên khiếu nại quyết định xóa tên trong thời hạn.",
        central=True,
    ),
    Step(
        "complaint_answered",
        _after("complaint_lodged"),
        "higher",
        "Cấp trên trả lời khiếu nại trong thời hạn (cấp Trung ương có thời hạn dài hơn cấp "
        "huyện, cấp tỉnh).",
        document=True,
        final=True,
        central=True,
    ),
    Step(
        "release_requested",
        _after("flagged", "listed"),
        "cell",
        "Đảng viên có đơn tự nguyện xin ra khỏi Đảng (chỉ khi không vi phạm đến mức phải kỷ luật).",
    ),
    Step(
        "released",
        _after("release_requested"),
        "admission_decider",
        "Cấp có thẩm quyền quyết định cho ra khỏi Đảng; chi bộ thu lại thẻ đảng.",
        vote="optional",
        document=True,
        final=True,
    ),
    Step(
        "referred_to_discipline",
        _after("flagged", "listed"),
        "cell",
        "Vi phạm đến mức phải kỷ luật: chuyển sang xem xét kỷ luật (khai trừ, không xóa tên).",
        document=True,
        final=True,
    ),
    Step(
        "card_collected",
        _after("struck_off", "released", "complaint_answered"),
        "cell",
        "Chi bộ thu hồi thẻ đảng viên của người đã bị xóa tên hoặc được cho ra khỏi Đảng.",
        final=True,
    ),
)

DISCIPLINE = _workflow(
    "discipline",
    Step(
        "opened",
        _after(),
        "discipline_any",
        "Đảng viên vi phạm kiểm điểm, tự nhận hình thức kỷ luật.",
    ),
    Step(
        "cell_concluded",
        _after("opened"),
        "cell_meeting",
        "Chi bộ họp, phân tích, kết luận vi phạm.",
        vote="optional",
        document=True,
    ),
    Step(
        "proposed",
        _after("cell_concluded"),
        "discipline_any",
        "Tổ chức đảng cấp dưới bỏ phiếu "
        "kín đề nghị cấp có thẩm quyền; đề nghị khai trừ cần ít nhất 2/3 số thành viên.",
        vote="pass",
        threshold="discipline_vote",
        secret=True,
        document=True,
    ),
    Step(
        "decided",
        _after("cell_concluded", "proposed"),
        "discipline_competent",
        "Đảng viên "
        "trình bày ý kiến; tổ chức có thẩm quyền bỏ phiếu kín, quyết định (quá 1/2 số thành "
        "viên; cộng phiếu từ hình thức nặng nhất xuống).",
        vote="pass",
        threshold="discipline_vote",
        secret=True,
        document=True,
    ),
    Step(
        "dismissed",
        _after("opened", "cell_concluded", "proposed"),
        "discipline_any",
        "Không thi hành kỷ luật (chưa đến mức, hoặc đã hết thời hiệu).",
        document=True,
        final=True,
    ),
    Step(
        "announced",
        _after("decided"),
        "discipline_any",
        "Công bố quyết định; kỷ luật có hiệu "
        "lực từ khi công bố; báo cáo cấp trên, thông báo cấp dưới.",
        final=True,
    ),
    Step(
        "appealed",
        _after("decided", "announced", "card_collected", "appeal_answered"),
        "appeal_higher",
        "Đảng viên khiếu nại trong 1 tháng "
        "kể từ khi nhận quyết định (hoặc quyết định giải quyết khiếu nại, nếu khiếu nại tiếp "
        "lên cấp trên, đến cấp giải quyết cuối cùng); quyết định vẫn thi hành trong khi chờ. "
        "Khiếu nại quyết định của cấp tỉnh gửi lên Trung ương.",
        central=True,
    ),
    Step(
        "appeal_answered",
        _after("appealed", "card_collected"),
        "appeal_higher",
        "Cấp trên giải quyết khiếu nại (3 "
        "tháng với cấp huyện, cấp tỉnh; 6 tháng với Trung ương): giữ nguyên, thay đổi hoặc "
        "xóa bỏ.",
        document=True,
        final=True,
        central=True,
    ),
    Step(
        "card_collected",
        _after("announced", "appealed", "appeal_answered"),
        "cell",
        "Người bị khai trừ: chi bộ thu hồi thẻ đảng viên (cả khi đang chờ giải quyết khiếu nại: "
        "quyết định vẫn thi hành).",
        final=True,
    ),
)

TRANSFER = _workflow(
    "transfer",
    Step(
        "requested",
        _after(),
        "cell",
        "Đảng viên đề nghị chuyển sinh hoạt (chuyển chính thức: trong 60 ngày làm việc kể từ "
        "khi chuyển nơi ở, nơi làm việc); chi bộ xác nhận, hoàn tất hồ sơ.",
    ),
    Step(
        "letter_issued",
        _after("requested"),
        "letter_issuer",
        "Cấp ủy cấp huyện (ban tổ chức tỉnh ủy với tổ chức cơ sở trực thuộc tỉnh) cấp giấy "
        "giới thiệu sinh hoạt đảng.",
        document=True,
    ),
    Step(
        "presented",
        _after("letter_issued"),
        "district_office",
        "Đảng viên nộp giấy giới "
        "thiệu cho nơi đến trong 30 ngày làm việc kể từ ngày ký; quá hạn phải báo lý do.",
    ),
    Step(
        "received",
        _after("presented"),
        "district_office",
        "Nơi đến xác nhận tiếp nhận bằng văn bản; ghi số, ngày và nơi ký văn bản xác nhận.",
        final=True,
    ),
    Step(
        "returned",
        _after("received"),
        "district_office",
        "Hết thời hạn sinh hoạt tạm thời, đảng viên trở về sinh hoạt ở nơi cũ.",
        final=True,
    ),
    Step(
        "cancelled",
        _after("requested", "letter_issued"),
        "cell",
        "Hủy việc chuyển sinh hoạt.",
        final=True,
    ),
)

EXEMPTION = _workflow(
    "exemption",
    Step(
        "requested",
        _after(),
        "cell",
        "Đảng viên có đơn xin miễn công tác và sinh hoạt đảng "
        "(tuổi cao, sức khỏe yếu, hoặc có thời hạn).",
    ),
    Step(
        "granted",
        _after("requested"),
        "cell_meeting",
        "Chi bộ xem xét, quyết định.",
        vote="pass",
        threshold="majority_vote",
        document=True,
    ),
    Step(
        "refused",
        _after("requested"),
        "cell_meeting",
        "Chi bộ không đồng ý, trả lời đảng viên.",
        vote="optional",
        final=True,
    ),
    Step(
        "reported",
        _after("granted"),
        "cell",
        "Chi bộ báo cáo cấp ủy cấp trên trực tiếp.",
        final=True,
    ),
    Step(
        "ended",
        _after("granted", "reported"),
        "cell",
        "Kết thúc miễn sinh hoạt theo đề nghị của đảng viên.",
        final=True,
    ),
)

ORG_DISCIPLINE = _workflow(
    "org_discipline",
    Step(
        "opened",
        _after(),
        "org_higher",
        "Cấp ủy hoặc ủy ban kiểm tra cấp trên kiểm tra, xác định tổ chức đảng có vi phạm, "
        "xem xét kỷ luật.",
    ),
    Step(
        "self_reviewed",
        _after("opened"),
        "org_self",
        "Tổ chức đảng vi phạm họp kiểm điểm, tự nhận hình thức kỷ luật, báo cáo cấp trên.",
        document=True,
    ),
    Step(
        "proposed",
        _after("self_reviewed"),
        "org_higher",
        "Cấp ủy cấp trên trực tiếp bỏ phiếu kín, đề nghị cấp có thẩm quyền quyết định (quá 1/2 "
        "số thành viên).",
        vote="pass",
        threshold="org_discipline_vote",
        secret=True,
        document=True,
    ),
    Step(
        "decided",
        _after("self_reviewed", "proposed"),
        "org_competent",
        "Cấp có thẩm quyền bỏ phiếu kín, quyết định (quá 1/2 số thành viên; cộng phiếu từ hình "
        "thức nặng nhất xuống); ủy ban kiểm tra chỉ khiển trách, cảnh cáo; giải tán do cấp ủy "
        "cấp huyện trở lên.",
        vote="pass",
        threshold="org_discipline_vote",
        secret=True,
        document=True,
    ),
    Step(
        "dismissed",
        _after("opened", "self_reviewed", "proposed"),
        "org_higher",
        "Không thi hành kỷ luật (chưa đến mức, hoặc đã hết thời hiệu).",
        document=True,
        final=True,
    ),
    Step(
        "announced",
        _after("decided"),
        "org_higher",
        "Công bố quyết định cho tổ chức đảng bị kỷ luật; kỷ luật có hiệu lực từ khi công bố.",
        final=True,
    ),
    Step(
        "appealed",
        _after("decided", "announced"),
        "org_higher",
        "Tổ chức đảng khiếu nại trong 1 tháng kể từ khi nhận quyết định; quyết định vẫn thi "
        "hành trong khi chờ.",
        central=True,
    ),
    Step(
        "appeal_answered",
        _after("appealed"),
        "org_higher",
        "Cấp trên giải quyết khiếu nại (3 tháng với cấp huyện, cấp tỉnh; 6 tháng với Trung "
        "ương): giữ nguyên, thay đổi hoặc xóa bỏ.",
        document=True,
        final=True,
        central=True,
    ),
)

LODGED = frozenset({"appealed", "complaint_lodged"})
ANSWERED = frozenset({"appeal_answered", "complaint_answered"})


def awaiting_answer(states: Sequence[str]) -> bool:
    """Whether an appeal (or complaint) lodged in these steps is still unanswered: the decision
    applies meanwhile, so other steps (collecting the card) may come before the answer."""
    lodged = sum(state in LODGED for state in states)
    return lodged > sum(state in ANSWERED for state in states)


def settled(kind: str, states: Sequence[str]) -> bool:
    """Whether a case with these steps owes no further step: it stands at a final step, and no
    appeal or complaint awaits its answer."""
    return bool(states) and WORKFLOWS[kind].steps[states[-1]].final and not awaiting_answer(states)


EXPULSION_THRESHOLDS = {"proposed": "expulsion_proposal_vote"}
"""Steps whose threshold is higher when the form proposed is expulsion."""

WORKFLOWS: dict[str, Workflow] = {
    w.kind: w for w in (ADMISSION, SCREENING, DISCIPLINE, TRANSFER, EXEMPTION, ORG_DISCIPLINE)
}
