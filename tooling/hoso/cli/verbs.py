"""The verbs of ``hoso``: where each lives, and the start of its help (enough for the one-line
summary ``hoso --help`` shows), so that listing them imports none of them. A test keeps this
table in step with the commands themselves."""

from __future__ import annotations

VERBS: dict[str, tuple[str, str, str]] = {
    "approve": (
        "hoso.cli.approve",
        "command",
        "Phê duyệt (hoặc yêu cầu sửa) hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn; hoặc "
        "đường dẫn của một tệp khác",
    ),
    "audit": (
        "hoso.cli.audit",
        "audit_command",
        "Kiểm toán lịch sử nhánh: mọi thay đổi hồ sơ và tệp quản trị có qua hợp "
        "nhất, hợp lệ, đủ phê",
    ),
    "checkpoint": (
        "hoso.cli.audit",
        "checkpoint_command",
        "Tạo mốc kiểm toán: một thẻ git có chữ ký SSH của ủy viên ban tổ chức tại đỉnh nhánh.",
    ),
    "codeowners": (
        "hoso.cli.codeowners",
        "command",
        "Sinh .github/CODEOWNERS và .gitlab/CODEOWNERS từ quy tắc phê duyệt và danh sách ban.",
    ),
    "due": (
        "hoso.cli.listing",
        "due_command",
        "Các bước đã quá hạn hoặc sắp đến hạn, nhóm theo đảng bộ cấp huyện; "
        "--unit chỉ xem một đơn vị và",
    ),
    "explain": (
        "hoso.cli.explain",
        "command",
        "Giải thích quy trình của loại hồ sơ LOẠI (mã hoặc tên, ví dụ 'kết nạp'):"
        " các bước, ai thực",
    ),
    "forms": (
        "hoso.cli.forms",
        "command",
        "Mở biểu mẫu trên trình duyệt để tìm hồ sơ, mở hồ sơ mới, ghi từng bước "
        "và gửi phê duyệt (mỗi hồ",
    ),
    "history": (
        "hoso.cli.audit",
        "history_command",
        "Lịch sử của hồ sơ MÃ_HỒ_SƠ trong Git: mỗi phiên bản, thay đổi gì, ai, "
        "khi nào, qua hợp nhất nào",
    ),
    "list": (
        "hoso.cli.listing",
        "list_command",
        "Liệt kê hồ sơ, lọc theo đơn vị (kể cả cấp dưới), loại, trạng thái, quá hạn.",
    ),
    "new": (
        "hoso.cli.new",
        "command",
        "Mở hồ sơ mới loại LOẠI (kết nạp, rà soát, kỷ luật, chuyển sinh hoạt, "
        "miễn sinh hoạt, kỷ luật tổ",
    ),
    "report": (
        "hoso.cli.report",
        "command",
        "Lập báo cáo định kỳ từ hồ sơ: kết nạp, rà soát, kỷ luật (đảng viên và tổ"
        " chức đảng), chuyển và",
    ),
    "review": (
        "hoso.cli.review",
        "command",
        "Kiểm tra yêu cầu hợp nhất: quy tắc nào áp dụng, ai đã phê duyệt, còn thiếu gì.",
    ),
    "sample": (
        "hoso.cli.sample",
        "command",
        "Sinh dữ liệu mẫu hư cấu của một tỉnh: cây tổ chức, các ban, hồ sơ mọi loại và kế hoạch.",
    ),
    "schemas": (
        "hoso.cli.schemas",
        "command",
        "Sinh JSON Schema (draft-07) cho mọi loại hồ sơ và tệp quản trị vào schemas/.",
    ),
    "show": (
        "hoso.cli.show",
        "command",
        "Xem hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn tệp): diễn biến, trạng thái, các "
        "bước ghi được bây giờ và",
    ),
    "site": (
        "hoso.cli.site",
        "command",
        "Xây dựng trang nội bộ; việc xây dựng tự kiểm tra và thất bại nếu lộ thông tin.",
    ),
    "submit": (
        "hoso.cli.submit",
        "command",
        "Gửi các hồ sơ đã thay đổi để cấp có thẩm quyền phê duyệt: kiểm tra, tạo "
        "nhánh mới, commit với",
    ),
    "transition": (
        "hoso.cli.transition",
        "command",
        "Ghi một bước mới vào hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn tệp); từ chối nếu"
        " sai quy định và nói",
    ),
    "validate": (
        "hoso.cli.validate",
        "command",
        "Kiểm tra hồ sơ: toàn bộ kho, hoặc chỉ các tệp, thư mục, mã hồ sơ được "
        "nêu; báo mọi lỗi một lần.",
    ),
}
